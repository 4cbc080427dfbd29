package org.edgegate.mqtt.internal.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Journal write and replay rates, for bench/mqtt_bench.sh (not a test): {@code java -cp classes:test-classes
 * org.edgegate.mqtt.internal.journal.JournalBench DIR [records] [payload bytes] [syncMillis]}. Writes the records as the
 * sender does during an outage (append, sync by the policy), then reads and commits them all as a replay does.
 */
public final class JournalBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        int syncMillis = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 'x');
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            delete(dir);
            long t0 = System.nanoTime();
            try (Journal j = new Journal(dir, 1L << 30, syncMillis)) {
                for (int i = 0; i < n; i++) {
                    j.append("edgegate/bench/sensor/fast", payload);
                    j.sync(false);
                }
                j.sync(true);
            }
            long t1 = System.nanoTime();
            long replayed = 0;
            try (Journal j = new Journal(dir, 1L << 30, syncMillis)) {
                long t2 = System.nanoTime();
                for (Journal.Entry e; (e = j.next()) != null;) {
                    j.commit(e);
                    j.sync(false);
                    replayed++;
                }
                j.sync(true);
                long t3 = System.nanoTime();
                if (round == 1) {
                    double w = n / ((t1 - t0) / 1e9);
                    double r = replayed / ((t3 - t2) / 1e9);
                    System.out.printf("journal_write_per_s %.0f%njournal_write_MB_per_s %.1f%n", w, w * (size + 36) / 1e6);
                    System.out.printf("journal_replay_per_s %.0f%njournal_open_ms %.0f%n", r, (t2 - t1) / 1e6);
                }
            }
        }
        delete(dir);
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
