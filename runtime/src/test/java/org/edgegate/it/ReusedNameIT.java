package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * Configurations removed and added again under the same names at once, over and over, stay: in Configuration Admin,
 * in their {@code etc/} files, and after a restart. File Install watches {@code etc/} (a scan a second) and acts on
 * what a scan saw a moment later, while the write-back deletes and makes the file within the remove and the add
 * (docs/architecture.md, the etc write-back). Each round is one {@code bin/edgegate-cli} line, as an operator or a
 * script types it (remove a0 … a5, then add a0 … a5): listings before and after must show every configuration, the
 * line must succeed (a remove finding nothing, or an add finding the old one made again, fails it), and the files
 * must be there. Rounds start 0 to 2.5 s after the previous one, so that they meet File Install at every step of
 * taking the files in (as a user who removes and adds again what was added a moment before). Sensors through {@code
 * gw:sensor remove/add}; sensors and cameras through Configuration Admin itself (Gogo's {@code cm:} functions are
 * its methods; there is no {@code gw:camera add}). File Install's scans fall anywhere in the lines. Every miss is
 * counted (and the configurations made again) before the test fails, so the output tells the rate.
 */
public class ReusedNameIT {
    /** Rounds per way; before each, a pause of {@link #STEP_MILLIS} times the round number modulo 26. */
    private static final int ROUNDS = 26;
    private static final long STEP_MILLIS = 100;
    /** Names per way, removed one after the other and then added one after the other, as a script would. */
    private static final int NAMES = 6;
    private static final String SENSOR = "org.edgegate.serial.sensor";
    private static final String CAMERA = "org.edgegate.camera";

    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(20));

    /** One way to remove and add configurations by name, their factory and the name's prefix. */
    private record Way(String what, String factoryPid, String prefix, Function<String, String> remove,
            Function<String, String> add) {
        String pid(int i) {
            return factoryPid + "~" + prefix + i;
        }

        String file(int i) {
            return factoryPid + "-" + prefix + i + ".cfg";
        }

        /** Fails (status 1) when one is not there before; removes all, adds all; prints those there after. */
        String line() {
            StringBuilder line = new StringBuilder();
            StringBuilder any = new StringBuilder("(|");
            for (int i = 0; i < NAMES; i++) {
                line.append("b").append(i).append(" = cm:listConfigurations \"(service.pid=").append(pid(i))
                        .append(")\" ; $b").append(i).append(" length ; ");
                any.append("(service.pid=").append(pid(i)).append(")");
            }
            for (int i = 0; i < NAMES; i++) {
                line.append(remove.apply(prefix + i)).append(" ; ");
            }
            for (int i = 0; i < NAMES; i++) {
                line.append(add.apply(prefix + i)).append(" ; ");
            }
            return line.append("cm:listConfigurations \"").append(any).append(")\"").toString();
        }
    }

    @Test
    public void configurationsRemovedAndAddedAgainAtOnceStayInConfigAdminInEtcAndAfterARestart() throws Exception {
        List<Way> ways = List.of(
                new Way("sensors by gw:sensor", SENSOR, "again", id -> "gw:sensor remove " + id,
                        id -> "gw:sensor add " + id + " \"sim:th?rate=1\""),
                new Way("sensors by Configuration Admin", SENSOR, "cmagain", id -> delete(SENSOR, id),
                        id -> update(SENSOR, id, "$p put port \"sim:gas?rate=1\"")),
                new Way("cameras by Configuration Admin", CAMERA, "camagain", id -> delete(CAMERA, id),
                        id -> update(CAMERA, id, "$p put source pattern: ; $p put width 32 ; $p put height 24 ; "
                                + "$p put fps 1")));
        try (RuntimeProcess gateway = new RuntimeProcess("ReusedNameIT")) {
            Path etc = gateway.home().resolve("etc");
            gateway.start();
            for (Way way : ways) {
                for (int i = 0; i < NAMES; i++) {
                    ok(gateway.cli(way.add().apply(way.prefix() + i)));
                }
            }
            List<String> misses = new ArrayList<>();
            int rounds = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (Way way : ways) {
                    rounds++;
                    // Not waiting for anything: the line starts 0 to 2.5 s after the previous one changed the
                    // files, so that it falls on every phase of File Install taking them in (it reads a file
                    // once it stayed the same over a scan, and acts a moment after).
                    Thread.sleep(round % 26 * STEP_MILLIS);
                    RuntimeProcess.Result r = gateway.cli(way.line());
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < NAMES; i++) {
                        if (count(r.output(), "Configuration PID=" + way.pid(i) + ",") != 1) {
                            wrong.add(way.prefix() + i + " not listed after");
                        }
                        if (!Files.isRegularFile(etc.resolve(way.file(i)))) {
                            wrong.add(way.prefix() + i + " has no file");
                        }
                    }
                    if (r.status() != 0 || !wrong.isEmpty()) {
                        misses.add(way.what() + ", round " + round + ": " + (r.status() != 0 ? "failed, " : "")
                                + wrong + ": " + r.output().strip().lines().filter(l -> !l.startsWith("Configuration PID"))
                                        .toList());
                        restore(gateway, way);
                    }
                }
            }
            System.out.println("ReusedNameIT: " + misses.size() + " of " + rounds + " rounds (" + NAMES + " names"
                    + " each) lost a configuration or its file" + (misses.isEmpty() ? "" : ":\n  " + String.join("\n  ", misses)));

            for (Way way : ways) {
                assertTrue(way.what() + " there for 2.5 s after the last round", settled(gateway, way, etc,
                        RuntimeProcess.TIMEOUT));
            }
            gateway.process().destroy(); // SIGTERM, as the service stops
            assertTrue("stops after SIGTERM", gateway.process().waitFor(RuntimeProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            gateway.start();
            for (Way way : ways) {
                assertTrue(way.what() + " there for 2.5 s after the restart", settled(gateway, way, etc,
                        RuntimeProcess.TIMEOUT));
            }
            String sensors = gateway.cli("gw:sensors").output();
            assertTrue("the sensors run after the restart:\n" + sensors, sensors.contains("again" + (NAMES - 1))
                    && sensors.contains("cmagain" + (NAMES - 1)));
            assertEquals(misses.size() + " of " + rounds + " rounds lost a configuration or its file: " + misses,
                    0, misses.size());
        }
    }

    /** Makes every configuration of the way again (a miss then counts once, not in every later round). */
    private static void restore(RuntimeProcess gateway, Way way) {
        GatewayTestSupport.await(way.what() + " made again after a miss", RuntimeProcess.TIMEOUT, () -> {
            String listed = gateway.cli("cm:listConfigurations \"(service.factoryPid=" + way.factoryPid() + ")\"")
                    .output();
            boolean all = true;
            for (int i = 0; i < NAMES; i++) {
                if (count(listed, "Configuration PID=" + way.pid(i) + ",") != 1) {
                    gateway.cli(way.add().apply(way.prefix() + i));
                    all = false;
                }
            }
            return all;
        });
    }

    /** Deletes the configuration through Configuration Admin (whether it is there or not). */
    private static String delete(String factoryPid, String name) {
        return "(cm:getFactoryConfiguration " + factoryPid + " " + name + " \"?\") delete";
    }

    /** Makes the configuration again through Configuration Admin, with the same name. */
    private static String update(String factoryPid, String name, String puts) {
        return "p = new java.util.Hashtable ; $p put id " + name + " ; " + puts + " ; (cm:getFactoryConfiguration "
                + factoryPid + " " + name + " \"?\") update $p";
    }

    /**
     * Whether every configuration of the way and its file are there, and stay there 2.5 s (over two of File
     * Install's scans, which make the files its own), within {@code timeout}.
     */
    private static boolean settled(RuntimeProcess gateway, Way way, Path etc, Duration timeout) {
        long[] since = {System.nanoTime()};
        try {
            GatewayTestSupport.await(way.what() + " there for 2.5 s", timeout, () -> {
                String listed = gateway.cli("cm:listConfigurations \"(service.factoryPid=" + way.factoryPid() + ")\"")
                        .output();
                for (int i = 0; i < NAMES; i++) {
                    if (count(listed, "Configuration PID=" + way.pid(i) + ",") != 1
                            || !Files.isRegularFile(etc.resolve(way.file(i)))) {
                        since[0] = System.nanoTime();
                        return false;
                    }
                }
                return System.nanoTime() - since[0] >= 2_500_000_000L;
            });
            return true;
        } catch (AssertionError notSettled) {
            return false;
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void ok(RuntimeProcess.Result r) {
        assertEquals(r.output(), 0, r.status());
    }
}
