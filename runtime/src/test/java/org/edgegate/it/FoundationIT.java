package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateService;
import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 2's foundation checks, in the real runtime: bundles, shared state, state bundle updates,
 * configurations from etc/.
 */
@ExamReactorStrategy(PerClass.class)
public class FoundationIT extends GatewayTestSupport {
    private static final String STATE_BSN = "org.edgegate.state";

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertEquals("bundles not ACTIVE", List.of(), notActive);
        for (String bsn : List.of("org.edgegate.api", "org.edgegate.state", "org.edgegate.shell", "org.edgegate.logging")) {
            assertNotNull(bsn + " installed", bundleNamed(bsn));
        }
    }

    @Test
    public void aWriteByAnotherBundleReachesAListenerOfTheTest() throws Exception {
        List<StateChange> heard = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(StateListener.PREFIX, "it/listen/");
        ServiceRegistration<StateListener> registration =
                context.registerService(StateListener.class, heard::add, properties);
        try {
            // Written by the state bundle's own Gogo command (gw:set), as an operator would.
            String output = gogo("gw:set it/listen/temperature 21");
            assertTrue(output, output.contains("21"));
            // And by the service, plus a key outside the prefix that must not arrive.
            StateService state = awaitService(StateService.class);
            state.put("it/other", 1);
            state.put("it/listen/humidity", 60);

            await("both changes heard", DEFAULT_TIMEOUT, () -> heard.size() >= 2);
            assertEquals("it/listen/temperature", heard.get(0).key());
            assertEquals(21L, heard.get(0).entry().value());
            assertEquals("it/listen/humidity", heard.get(1).key());
            assertEquals(60L, heard.get(1).entry().value());
            assertTrue("outside the prefix: " + heard, heard.stream().noneMatch(c -> c.key().equals("it/other")));
            // For scripts: the same entries as JSON.
            String json = gogo("gw:state --json it/listen/");
            assertTrue(json, json.startsWith("[{\"key\":\"it/listen/humidity\",\"value\":60,\"type\":\"number\"")
                    && json.contains("{\"key\":\"it/listen/temperature\",\"value\":21,"));
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void updatingTheStateBundleKeepsEveryEntry() throws Exception {
        StateService state = awaitService(StateService.class);
        state.put("it/update/number", 42);
        state.put("it/update/decimal", -3.5);
        state.put("it/update/flag", true);
        state.put("it/update/text", "T-25-H-60");
        state.put("it/update/bytes", new byte[] {1, 2, 3});
        Map<String, StateEntry> before = entries(state.snapshot(""));

        StateService after = updateStateBundle();

        Map<String, StateEntry> restored = entries(after.snapshot(""));
        assertTrue("every key survives the update", restored.keySet().containsAll(before.keySet()));
        // The demo sensors keep writing around the update: their entries may only have moved on.
        before.forEach((key, entry) -> {
            if (key.startsWith("it/update/")) {
                assertEquals(key, entry, restored.get(key));
            } else {
                assertTrue(key + " kept or newer", restored.get(key).version() >= entry.version());
            }
        });
    }

    @Test
    public void aCorruptSnapshotIsKeptAsideAndTheStateStartsEmpty() throws Exception {
        awaitService(StateService.class).put("it/corrupt/k", "v");
        Bundle bundle = bundleNamed(STATE_BSN);
        bundle.stop(); // writes the snapshot
        Path snapshot = home().resolve("data/state/state.snapshot");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(snapshot, bytes);
        bundle.start();

        StateService state = awaitService(StateService.class);
        assertTrue("starts empty: the entry of before is gone", state.get("it/corrupt/k").isEmpty());
        try (var aside = Files.list(snapshot.getParent())) {
            assertTrue("the corrupt file is kept aside",
                    aside.anyMatch(p -> p.getFileName().toString().startsWith("state.snapshot.corrupt-")));
        }
        state.put("it/corrupt/after", 1); // and it works
        assertEquals(1L, state.get("it/corrupt/after").orElseThrow().value());
    }

    @Test
    public void aListenerRegisteredBeforeTheStateServiceStartsHearsItsWrites() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        Bundle bundle = bundleNamed(STATE_BSN);
        bundle.stop();
        ServiceRegistration<StateListener> registration = context.registerService(StateListener.class,
                c -> heard.add(c.key()), new Hashtable<>(Map.of(StateListener.PREFIX, "it/early/")));
        try {
            bundle.start();
            awaitService(StateService.class).put("it/early/k", 1);
            assertEquals("it/early/k", heard.poll(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void aHundredUpdatesOfTheStateBundleLeakNoThread() throws Exception {
        StateService state = updateStateBundle(); // a first one, so that lazily made threads exist
        state.put("it/leak/count", 0);
        // The state bundle's own threads must come back to what one instance has; the JVM's total is only
        // bounded loosely, as sensors and cameras restart around every update and wind down at their pace.
        long ownStart = threadCount("edgegate-state-");
        int allStart = Thread.getAllStackTraces().size();
        for (int i = 1; i <= 100; i++) {
            state = updateStateBundle();
            state.put("it/leak/count", i); // exercises the writer and the snapshot on every cycle
        }
        assertEquals(100L, state.get("it/leak/count").orElseThrow().value());
        long[] now = new long[2];
        try {
            await("state threads back to " + ownStart + " and all threads near " + allStart, DEFAULT_TIMEOUT,
                    () -> (now[0] = threadCount("edgegate-state-")) <= ownStart
                            && (now[1] = Thread.getAllStackTraces().size()) <= allStart + 5);
        } catch (AssertionError e) {
            // No cause: Pax Exam reports the cause's message, and the names are the point.
            throw new AssertionError(e.getMessage() + " (now " + now[0] + " and " + now[1] + "): " + threadNames());
        }
    }

    @Test
    public void cfgFilesInEtcCreateChangeAndDeleteConfigurations() throws Exception {
        ConfigurationAdmin cm = configurationAdmin();
        Path file = home().resolve("etc/org.edgegate.it.sample.cfg");
        Files.writeString(file, "greeting = hello\n");
        await("configuration from the file", DEFAULT_TIMEOUT, () -> "hello".equals(property(cm, "org.edgegate.it.sample", "greeting")));

        Files.writeString(file, "greeting = bonjour\n");
        await("configuration changed by the file", DEFAULT_TIMEOUT, () -> "bonjour".equals(property(cm, "org.edgegate.it.sample", "greeting")));

        // Changed from Configuration Admin (as Gogo or the Web Console do): written back to the file.
        // They edit the existing properties, which include File Install's record of the file.
        Configuration configuration = cm.getConfiguration("org.edgegate.it.sample", "?");
        Dictionary<String, Object> changed = configuration.getProperties();
        changed.put("greeting", "hallo");
        configuration.update(changed);
        await("change written back to " + file, DEFAULT_TIMEOUT, () -> read(file).contains("hallo"));

        // A factory configuration: <factoryPid>-<name>.cfg.
        Path factoryFile = home().resolve("etc/org.edgegate.it.factory-one.cfg");
        Files.writeString(factoryFile, "id = one\n");
        await("factory configuration from the file", DEFAULT_TIMEOUT, () -> "one".equals(property(cm, "org.edgegate.it.factory~one", "id")));

        // Deleting the file deletes the configuration; deleting the configuration deletes its file.
        Files.delete(file);
        await("configuration deleted with its file", DEFAULT_TIMEOUT,
                () -> property(cm, "org.edgegate.it.sample", "greeting") == null);
        cm.listConfigurations("(" + Constants.SERVICE_PID + "=org.edgegate.it.factory~one)")[0].delete();
        await("file deleted with its configuration", DEFAULT_TIMEOUT, () -> !Files.exists(factoryFile));
    }

    private static Object property(ConfigurationAdmin cm, String pid, String key) {
        try {
            Configuration[] found = cm.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
            return found == null || found[0].getProperties() == null ? null : found[0].getProperties().get(key);
        } catch (IOException | InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** Updates the state bundle from its own jar and returns the new StateService. */
    private StateService updateStateBundle() throws Exception {
        Bundle bundle = bundleNamed(STATE_BSN);
        ServiceReference<StateService> old = context.getServiceReference(StateService.class);
        long oldId = old == null ? -1 : (Long) old.getProperty(Constants.SERVICE_ID);
        try (InputStream jar = new java.net.URL(bundle.getLocation()).openStream()) {
            bundle.update(jar);
        }
        return awaitService(StateService.class, "(" + Constants.SERVICE_ID + ">=" + (oldId + 1) + ")",
                DEFAULT_TIMEOUT);
    }

    private static Map<String, StateEntry> entries(List<StateEntry> list) {
        Map<String, StateEntry> map = new LinkedHashMap<>();
        list.forEach(e -> map.put(e.key(), e));
        return map;
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }
}
