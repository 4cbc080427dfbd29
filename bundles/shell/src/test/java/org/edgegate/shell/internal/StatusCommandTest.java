package org.edgegate.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.framework.dto.BundleDTO;

/**
 * gw:status over a framework of our own making (bundles, Monitored services, component descriptions): "All OK"
 * only when nothing needs attention, and each kind of problem named with its reason.
 */
public class StatusCommandTest {
    private final List<Bundle> bundles = new ArrayList<>();
    private final List<Monitored> monitored = new ArrayList<>();
    private final List<ComponentConfigurationDTO> components = new ArrayList<>();
    private final List<Object> released = new ArrayList<>();

    /** An interface answered by name from a table; anything else is a test error. */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return (T) Proxy.newProxyInstance(StatusCommandTest.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    Function<Object[], Object> answer = answers.get(method.getName());
                    if (answer != null) {
                        return answer.apply(args);
                    }
                    switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return type.getSimpleName();
                    default:
                    }
                    throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
                });
    }

    private void bundle(String name, int state, boolean fragment) {
        bundle(name, state, fragment, null);
    }

    private void bundle(String name, int state, boolean fragment, String kernel) {
        Hashtable<String, String> headers = new Hashtable<>();
        if (fragment) {
            headers.put(Constants.FRAGMENT_HOST, "org.edgegate.host");
        }
        if (kernel != null) {
            headers.put(StatusCommand.KERNEL_HEADER, kernel);
        }
        long id = bundles.size();
        bundles.add(fake(Bundle.class, Map.of("getSymbolicName", a -> name, "getState", a -> state, "getHeaders",
                a -> headers, "getVersion", a -> new Version(1, 2, 3), "getBundleId", a -> id)));
    }

    private void monitored(String kind, String id, Health health) {
        monitored.add(new Monitored() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public Health health() {
                if (health == null) {
                    throw new IllegalStateException("being reconfigured");
                }
                return health;
            }
        });
    }

    private void component(String name, int state, String failure, String... references) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.failure = failure;
        List<UnsatisfiedReferenceDTO> refs = new ArrayList<>();
        for (String r : references) {
            UnsatisfiedReferenceDTO u = new UnsatisfiedReferenceDTO();
            u.name = r;
            refs.add(u);
        }
        c.unsatisfiedReferences = refs.toArray(new UnsatisfiedReferenceDTO[0]);
        c.description = new ComponentDescriptionDTO();
        c.description.name = name;
        c.description.bundle = new BundleDTO();
        c.description.bundle.symbolicName = "org.edgegate.test";
        components.add(c);
    }

    private String status() throws Exception {
        List<ServiceReference<?>> refs = new ArrayList<>();
        for (int i = 0; i < monitored.size(); i++) {
            refs.add(fake(ServiceReference.class, Map.of()));
        }
        BundleContext context = fake(BundleContext.class, Map.of(
                "getBundle", a -> bundles.get(0), // the shell bundle itself: first in each test
                "getBundles", a -> bundles.toArray(new Bundle[0]),
                "getServiceReferences", a -> new ArrayList<>(refs),
                "getService", a -> monitored.get(refs.indexOf(a[0])),
                "ungetService", a -> released.add(a[0])));
        ServiceComponentRuntime scr = fake(ServiceComponentRuntime.class, Map.of(
                "getComponentDescriptionDTOs", a -> components.stream().map(c -> c.description).toList(),
                "getComponentConfigurationDTOs", a -> components.stream().filter(c -> c.description == a[0]).toList()));
        StatusCommand command = new StatusCommand();
        Field field = StatusCommand.class.getDeclaredField("scr");
        field.setAccessible(true);
        field.set(command, scr);
        command.activate(context);
        return command.status();
    }

    @Test
    public void allOkWhenEverythingRunsAndIsOpen() throws Exception {
        bundle("org.edgegate.serial", Bundle.ACTIVE, false);
        bundle("org.apache.felix.scr", Bundle.ACTIVE, false);
        bundle("org.edgegate.fragment", Bundle.RESOLVED, true); // a fragment is never ACTIVE
        monitored("sensor", "th", Health.of(HealthState.OPEN, ""));
        monitored("camera", "demo", Health.of(HealthState.STOPPED, "disabled")); // stopped on purpose
        component("org.edgegate.serial.sensor", ComponentConfigurationDTO.ACTIVE, null);

        String out = status();
        assertTrue(out, out.endsWith("\nAll OK"));
        assertTrue(out, out.contains("Bundles (3 installed):"));
        assertTrue(out, out.contains("org.edgegate.serial") && out.contains("1.2.3") && out.contains("ACTIVE"));
        assertFalse("only the gateway's own bundles are listed: " + out, out.contains("org.apache.felix.scr"));
        // sorted by kind, then id
        assertTrue(out, out.indexOf("camera    demo") < out.indexOf("sensor    th"));
        assertEquals("every service got is released", 2, released.size());
    }

    @Test
    public void eachProblemIsNamedWithItsReason() throws Exception {
        bundle("org.edgegate.zmq", Bundle.RESOLVED, false);
        bundle("org.edgegate.broken", Bundle.INSTALLED, false);
        monitored("sensor", "th", Health.of(HealthState.RECONNECTING, "device gone, next try in 2 s"));
        monitored("endpoint", "native", Health.of(HealthState.FAILED, "address in use"));
        monitored("camera", "odd", null);
        component("org.edgegate.a", ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null, "state");
        component("org.edgegate.b", ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, null);
        component("org.edgegate.c", ComponentConfigurationDTO.FAILED_ACTIVATION, "boom");

        String out = status();
        assertFalse(out, out.contains("All OK"));
        String problems = out.substring(out.indexOf("\nProblems:\n"));
        for (String expected : new String[] { "bundle org.edgegate.zmq [0] is RESOLVED",
                "bundle org.edgegate.broken [1] is INSTALLED (unresolved)",
                "sensor th is RECONNECTING: device gone, next try in 2 s", "endpoint native is FAILED: address in use",
                "camera odd: health unavailable: java.lang.IllegalStateException: being reconfigured",
                "component org.edgegate.a (org.edgegate.test) waits for state",
                "component org.edgegate.b (org.edgegate.test) waits for its configuration",
                "component org.edgegate.c (org.edgegate.test) failed to activate: boom" }) {
            assertTrue(expected + " in " + problems, problems.contains("\n  " + expected));
        }
    }

    @Test
    public void aBundleBuiltAgainstAnotherKernelIsOneWarningLine() throws Exception {
        bundle("org.edgegate.shell", Bundle.ACTIVE, false, "0.1.0");
        bundle("org.edgegate.serial", Bundle.ACTIVE, false, "0.1.0");
        bundle("org.example.plugin", Bundle.ACTIVE, false, "0.2.0");
        bundle("org.example.older", Bundle.ACTIVE, false, "0.0.9");
        bundle("org.apache.felix.scr", Bundle.ACTIVE, false); // not ours: no stamp, no opinion
        String out = status();
        assertFalse(out, out.contains("All OK"));
        String warnings = out.substring(out.indexOf("\nWarnings:\n"));
        assertEquals(out, 1, warnings.lines().filter(l -> l.contains("kernel")).count());
        assertTrue(warnings, warnings.contains("\n  built against another kernel than this gateway's 0.1.0: "
                + "org.example.older 1.2.3 (kernel 0.0.9), org.example.plugin 1.2.3 (kernel 0.2.0)"));
        assertFalse(warnings, warnings.contains("org.edgegate.serial"));
    }

    @Test
    public void bundlesOfTheSameKernelWarnOfNothing() {
        assertEquals(null, StatusCommand.otherKernels("0.1.0", Map.of("a 1.0.0", "0.1.0", "b 1.0.0", "0.1.0")));
        assertEquals(null, StatusCommand.otherKernels(null, Map.of("a 1.0.0", "0.2.0"))); // an unstamped shell
    }

    @Test
    public void nothingConfiguredIsSaidSo() throws Exception {
        bundle("org.edgegate.shell", Bundle.ACTIVE, false);
        String out = status();
        assertTrue(out, out.contains("No sensors, cameras or endpoints configured."));
        assertTrue(out, out.endsWith("All OK"));
    }

    @Test
    public void agesAreShortAndNeverNegative() {
        assertEquals("0s", StatusCommand.ago(Duration.ofSeconds(-5)));
        assertEquals("119s", StatusCommand.ago(Duration.ofSeconds(119)));
        assertEquals("2m", StatusCommand.ago(Duration.ofSeconds(120)));
        assertEquals("119m", StatusCommand.ago(Duration.ofSeconds(7199)));
        assertEquals("2h", StatusCommand.ago(Duration.ofHours(2)));
        assertEquals("47h", StatusCommand.ago(Duration.ofSeconds(172799)));
        assertEquals("2d", StatusCommand.ago(Duration.between(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(2)))));
    }
}
