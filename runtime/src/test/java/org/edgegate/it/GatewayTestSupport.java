package org.edgegate.it;


import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Rule;
import org.junit.rules.Timeout;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base of every Pax Exam test: boots Felix (native container) with exactly the bundles of the
 * assembled runtime ({@code runtime/target/edgegate/bundle/}) and the framework properties of its
 * {@code etc/config.properties}, in a fresh gateway home of its own (a copy of {@code etc/}, an empty
 * {@code deploy/} and {@code data/}), every port of its {@code etc/} moved to a free one ({@link FreePorts}).
 *
 * <p>A test class extends this, is annotated {@code @ExamReactorStrategy(PerClass.class)} (one
 * framework for all its methods) and may override {@link #extraOptions()} (test-only bundles,
 * properties) and {@link #includeEtcFile(String)} (leave a default configuration out).
 *
 * <pre>
 * &#64;ExamReactorStrategy(PerClass.class)
 * public class SerialIT extends GatewayTestSupport {
 *     &#64;Inject StateService state;
 *     &#64;Test public void reads() throws Exception {
 *         createFactoryConfiguration("org.edgegate.serial.sensor", "th", Map.of("id", "th", ...));
 *         await("temperature", Duration.ofSeconds(10), () -> state.get("sensor/th/T").isPresent());
 *     }
 * }
 * </pre>
 */
@RunWith(PaxExam.class)
public abstract class GatewayTestSupport {
    /** The assembled runtime folder, passed by Failsafe. */
    protected static final Path DIST = Path.of(System.getProperty("edgegate.dist", "target/edgegate"));
    /** Where the test homes are made, passed by Failsafe. */
    protected static final Path WORK = Path.of(System.getProperty("edgegate.it.work", "target/it"));
    protected static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;

    /** A hang fails the test that hangs (with the stuck thread's stack) instead of stalling the build. */
    @Rule
    public final Timeout timeout = timeoutRule(testTimeout());

    /** How long one test of this class may take, its {@code @Before} and {@code @After} included. */
    protected Duration testTimeout() {
        return Duration.ofMinutes(10);
    }

    /**
     * The per-test timeout for classes that do not extend this one:
     * {@code @Rule public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));}
     */
    public static Timeout timeoutRule(Duration limit) {
        return Timeout.builder().withTimeout(limit.toSeconds(), TimeUnit.SECONDS).withLookingForStuckThread(true).build();
    }

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(gatewayOptions());
        options.addAll(Arrays.asList(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /** Test-only bundles and properties added to the gateway's. */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** Whether a file of the runtime's {@code etc/} is copied into the test home (default: all). */
    protected boolean includeEtcFile(String fileName) {
        return true;
    }

    /** The jars of the runtime's {@code bundle/} folder, in name order. */
    public static List<Path> runtimeBundles() {
        Path folder = DIST.resolve("bundle");
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no bundles in " + folder.toAbsolutePath()
                        + ": run the tests through Maven (mvn verify), which assembles the runtime first");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder.toAbsolutePath(), e);
        }
    }

    /** The Bundle-SymbolicName of a jar (without directives). */
    public static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? null : bsn.split(";")[0].trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private List<Option> gatewayOptions() {
        Path home = newHome();
        Map<String, String> properties = frameworkProperties(home);
        List<Option> options = new ArrayList<>();
        properties.forEach((key, value) -> options.add(frameworkProperty(key).value(value)));
        for (Path jar : runtimeBundles()) {
            options.add(CoreOptions.bundle(jar.toUri().toString()));
        }
        options.add(junitBundles());
        options.add(cleanCaches(true));
        // Pax Exam fetches its own bundles with pax-url-aether: from Maven's local repository first.
        String localRepository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(localRepository));
        options.add(systemProperty("org.ops4j.pax.url.mvn.repositories")
                .value("https://repo1.maven.org/maven2@id=central"));
        options.add(systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"));
        return options;
    }

    /** A fresh gateway home: etc/ copied from the runtime, empty deploy/ and data/. */
    private Path newHome() {
        Path home = WORK.resolve(getClass().getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        try {
            Files.createDirectories(home.resolve("etc"));
            Files.createDirectories(home.resolve("deploy"));
            Files.createDirectories(home.resolve("data/log"));
            try (Stream<Path> etc = Files.list(DIST.resolve("etc"))) {
                for (Path file : etc.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("config.properties") || includeEtcFile(name)) {
                        Files.copy(file, home.resolve("etc").resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // Other sessions run tests beside this one: nothing may listen on a shipped port (HTTP 8080,
            // ZeroMQ 5556/5557).
            FreePorts.rewrite(home.resolve("etc"));
            TestLogin.install(home.resolve("etc"));   // no password is shipped: the tests' login (issue 19)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the test home " + home, e);
        }
        return home;
    }

    /**
     * This home's etc/config.properties (the runtime's, its ports moved to free ones), less what only
     * the launcher uses, with Gogo kept off the test JVM's standard input.
     */
    private static Map<String, String> frameworkProperties(Path home) {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("etc/config.properties"))) {
            raw.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime's config.properties", e);
        }
        Map<String, String> known = new HashMap<>();
        known.put("edgegate.home", home.toString());
        raw.stringPropertyNames().forEach(k -> known.put(k, raw.getProperty(k)));
        Map<String, String> result = new LinkedHashMap<>();
        result.put("edgegate.home", home.toString());
        for (String key : raw.stringPropertyNames()) {
            if (key.startsWith("felix.auto.") || key.startsWith("org.osgi.framework.storage")) {
                continue; // the launcher's bundle folder and cache: Pax Exam provisions and caches itself
            }
            result.put(key, substitute(raw.getProperty(key), known, 0));
        }
        result.put("gosh.args", "--nointeractive --noshutdown");
        return result;
    }

    /** ${name} substitution as Felix's launcher does it (nested variables, no defaults). */
    static String substitute(String value, Map<String, String> properties, int depth) {
        if (depth > 10) {
            throw new IllegalArgumentException("variables nested too deep (a cycle?) in " + value);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            int end = start < 0 ? -1 : value.indexOf('}', start);
            if (start < 0 || end < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            String name = value.substring(start + 2, end);
            String replacement = properties.getOrDefault(name, System.getProperty(name, ""));
            out.append(substitute(replacement, properties, depth + 1));
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * A TCP port free at the time of the call and not handed out before in this JVM: the kernel may
     * offer a just-closed port again, and two endpoints of one test must not get the same one.
     */
    public static int freePort() {
        return FreePorts.next();
    }

    // ---- helpers for test methods (they run inside the framework) ----------------------------

    /** This gateway's home folder (its etc/, deploy/, data/). */
    protected Path home() {
        return Path.of(context.getProperty("edgegate.home"));
    }

    /** The installed bundle with this symbolic name, or null. */
    protected Bundle bundleNamed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Waits until the condition holds, failing with {@code what} at the deadline. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(100, pause * 2);
        }
    }

    /**
     * Waits until a request with credentials answers 200, trying no faster than the gateway's login throttle
     * gives an address a failed login back (one a second): a login that is not accepted yet (a password
     * being changed, a login not loaded yet) then never gets the test's address slowed (429), and the 401s
     * asserted next are answered by the password check, not by the throttle.
     */
    public static void awaitLogin(String what, Duration timeout, IntSupplier status) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = status.getAsInt()) != 200) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + " (last status " + last + ")");
            }
            try {
                Thread.sleep(LOGIN_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Just over the login throttle's refill of one failed login a second per address. */
    private static final long LOGIN_RETRY_MILLIS = 1_100;

    /** Waits until the supplier gives a non-null value, and returns it. */
    public static <T> T awaitValue(String what, Duration timeout, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        await(what, timeout, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    /** Waits for a service of this type (and LDAP filter, may be null) and returns it. */
    protected <T> T awaitService(Class<T> type, String filter, Duration timeout) {
        String spec = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        if (filter != null && !filter.isBlank()) {
            spec = "(&" + spec + filter + ")";
        }
        Filter f;
        try {
            f = FrameworkUtil.createFilter(spec);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + spec, e);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, f, null);
        tracker.open();
        try {
            if (tracker.waitForService(timeout.toMillis()) == null) {
                throw new AssertionError("no service " + spec + " within " + timeout.toMillis() + " ms");
            }
            // Got again on the test's context so the object stays valid (bundle-scoped services such as
            // ConfigurationAdmin die with the tracker's use), until the probe bundle stops.
            T service = context.getService(tracker.getServiceReference());
            if (service == null) {
                throw new AssertionError("service " + spec + " went away while being got");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + spec, e);
        } finally {
            tracker.close();
        }
    }

    protected <T> T awaitService(Class<T> type) {
        return awaitService(type, null, DEFAULT_TIMEOUT);
    }

    protected ConfigurationAdmin configurationAdmin() {
        return awaitService(ConfigurationAdmin.class);
    }

    /**
     * Creates (or replaces the properties of) the factory configuration {@code factoryPid~name}, as a
     * file {@code etc/<factoryPid>-<name>.cfg} or the Web Console would.
     */
    protected org.osgi.service.cm.Configuration createFactoryConfiguration(String factoryPid, String name,
            Map<String, ?> properties) throws IOException {
        org.osgi.service.cm.Configuration configuration =
                configurationAdmin().getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(dictionary(properties));
        return configuration;
    }

    /** Replaces a configuration's properties. */
    protected void updateConfiguration(org.osgi.service.cm.Configuration configuration, Map<String, ?> properties)
            throws IOException {
        configuration.update(dictionary(properties));
    }

    /** Creates or replaces the singleton configuration {@code pid}. */
    protected org.osgi.service.cm.Configuration configure(String pid, Map<String, ?> properties) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin().getConfiguration(pid, "?");
        configuration.update(dictionary(properties));
        return configuration;
    }

    protected void deleteConfiguration(org.osgi.service.cm.Configuration configuration) throws IOException {
        configuration.delete();
    }

    protected static Dictionary<String, Object> dictionary(Map<String, ?> properties) {
        return new Hashtable<>(properties);
    }

    /**
     * Runs a Gogo command line in a new session, as an operator would; returns what it printed and its
     * result as Gogo formats it. A failing command throws.
     */
    protected String gogo(String command) throws Exception {
        CommandProcessor processor = awaitService(CommandProcessor.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), print, print)) {
            Object result = session.execute(command);
            if (result != null) {
                print.println(session.format(result, 0));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Live threads of this JVM whose name starts with the prefix (e.g. "edgegate-serial-"). */
    protected static long threadCount(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
