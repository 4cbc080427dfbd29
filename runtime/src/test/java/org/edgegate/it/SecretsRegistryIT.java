package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.health.HealthState;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Secrets stay out of the service registry, where every bundle and the Web Console's service view can read
 * them. Every password attribute any EdgeGate bundle declares in its Metatype is configured under the key the
 * Metatype gives it (as the Web Console writes it), each with a secret of its own; once each component has
 * taken its configuration (a public marker key shows up in its service properties), no property of any
 * service holds a secret. Before the secrets were private keys ({@code .password}, {@code .token}) the
 * camera's and the MQTT broker's passwords and the streams' token were service properties.
 */
@ExamReactorStrategy(PerClass.class)
public class SecretsRegistryIT extends GatewayTestSupport {
    private static final String MARKER = "it.secrets.marker";

    @Override
    protected boolean includeEtcFile(String fileName) {
        return !fileName.startsWith("org.edgegate.zmq.endpoint-") && !fileName.startsWith("org.edgegate.serial.sensor-")
                && !fileName.startsWith("org.edgegate.mqtt.");
    }

    @Test
    public void noServicePropertyHoldsAConfiguredSecret() throws Exception {
        MetaTypeService metatype = awaitService(MetaTypeService.class);
        Map<String, String> secrets = new LinkedHashMap<>(); // secret -> "pid key"
        List<String> markers = new ArrayList<>();
        int n = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("org.edgegate.")) {
                continue;
            }
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            List<String> factories = List.of(info.getFactoryPids());
            for (boolean factory : new boolean[] {false, true}) {
                for (String pid : factory ? info.getFactoryPids() : info.getPids()) {
                    if (!factory && factories.contains(pid)) {
                        continue; // a factory PID some Metatype readers list among the PIDs too
                    }
                    ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                    Map<String, Object> props = new HashMap<>();
                    boolean hasSecret = false;
                    for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                        if (ad.getType() == AttributeDefinition.PASSWORD) {
                            String secret = "s3cret-" + (++n) + "-" + Long.toHexString(System.nanoTime());
                            secrets.put(secret, pid + " " + ad.getID());
                            props.put(ad.getID(), secret);
                            hasSecret = true;
                        }
                    }
                    if (!hasSecret) {
                        continue;
                    }
                    String marker = "m" + n;
                    props.put(MARKER, marker);
                    props.put("id", "secrets" + n);
                    if (pid.startsWith("org.edgegate.mqtt.")) {
                        props.put("uri", "tcp://127.0.0.1:" + freePort()); // nobody listens: the password goes nowhere
                        props.put("homeassistant", "false");
                    }
                    if (factory) {
                        createFactoryConfiguration(pid, "secrets" + n, props);
                    } else {
                        configure(pid, props);
                    }
                    markers.add(marker);
                }
            }
        }
        System.out.println("secrets configured: " + secrets.values());
        for (String expected : List.of("org.edgegate.camera .password", "org.edgegate.mqtt.broker .password",
                "org.edgegate.http .token", "org.edgegate.metrics .bearer.token")) {
            assertTrue("a private secret declared: " + expected + " in " + secrets.values(),
                    secrets.containsValue(expected));
        }
        // every component has taken its new configuration (some register their services by hand, without it)
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class);
        for (String marker : markers) {
            await("a component configured with " + MARKER + "=" + marker, DEFAULT_TIMEOUT,
                    () -> scr.getComponentDescriptionDTOs().stream().flatMap(d -> scr.getComponentConfigurationDTOs(d)
                            .stream()).anyMatch(c -> marker.equals(c.properties.get(MARKER))));
        }
        // and the public keys of a configuration do reach service properties: what the scan below would see
        Camera camera = awaitService(Camera.class, "(" + MARKER + "=*)", DEFAULT_TIMEOUT);
        System.out.println("camera " + camera.id() + " registered with the public marker key");
        secrets.put(TestLogin.PASSWORD, "the Web Console's login");

        List<String> leaks = new ArrayList<>();
        int services = 0;
        for (ServiceReference<?> ref : context.getAllServiceReferences(null, null)) {
            services++;
            for (String key : ref.getPropertyKeys()) {
                String value = text(ref.getProperty(key));
                secrets.forEach((secret, where) -> {
                    if (value.contains(secret)) {
                        leaks.add(where + " in service " + ref.getProperty("objectClass") + " of "
                                + ref.getBundle().getSymbolicName() + ", property " + key);
                    }
                });
            }
        }
        System.out.println(services + " services read, " + leaks.size() + " secrets found: " + leaks);
        assertTrue("secrets in service properties:\n" + String.join("\n", leaks), leaks.isEmpty());
    }

    @Test
    public void theOldPublicPasswordKeyStillWorksWithAWarning() throws Exception {
        createFactoryConfiguration("org.edgegate.camera", "legacy",
                Map.of("id", "legacy", "source", "pattern:", "user", "u", "password", "old-key-s3cret"));
        Camera legacy = awaitService(Camera.class, "(id=legacy)", DEFAULT_TIMEOUT);
        await("the camera with the old key open", DEFAULT_TIMEOUT, () -> legacy.health().state() == HealthState.OPEN);
        Path log = home().resolve("data/log/edgegate.log");
        await("the deprecation warning", DEFAULT_TIMEOUT, () -> read(log).contains(
                "org.edgegate.camera~legacy: 'password' is deprecated"));
        String line = read(log).lines().filter(l -> l.contains("'password' is deprecated")).findFirst().orElseThrow();
        assertTrue(line, line.contains("WARN") && line.contains("'.password'"));
        assertFalse("the warning shows no secret: " + line, read(log).contains("old-key-s3cret"));
        assertEquals(1, read(log).lines().filter(l -> l.contains("org.edgegate.camera~legacy: 'password'")).count());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String text(Object v) {
        if (v != null && v.getClass().isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Array.getLength(v); i++) {
                b.append(Array.get(v, i)).append('\n');
            }
            return b.toString();
        }
        return String.valueOf(v);
    }
}
