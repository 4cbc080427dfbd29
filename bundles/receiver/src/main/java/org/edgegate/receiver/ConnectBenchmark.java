package org.edgegate.receiver;

import org.edgegate.wire.WireJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.zeromq.ZMQ;

/**
 * {@code edgegate-receive --connects N}: connects N subscribers one after another (a fresh socket each, in
 * one context), each until its first message, and prints connect -> first message p50, p99, max, how many
 * waited over 1 s and how many were never served within {@link #GIVE_UP_MILLIS}.
 */
final class ConnectBenchmark {
    /** Receives for at most this long per subscriber: then it counts as never served. */
    static final long GIVE_UP_MILLIS = 10_000;

    private final PrintStream out;
    private final Consumer<String> line;
    private final BooleanSupplier stopping;

    /** @param line prints a time-stamped line; @param stopping true once the tool is asked to end */
    ConnectBenchmark(PrintStream out, Consumer<String> line, BooleanSupplier stopping) {
        this.out = out;
        this.line = line;
        this.stopping = stopping;
    }

    /** Returns the exit code: 0 when every subscriber was served. */
    int run(Subscriber how, int n, boolean watched, boolean json) {
        List<Double> waits = new ArrayList<>();
        int never = 0;
        long kicks = 0;
        long drops = 0;
        try (ZMQ.Context context = ZMQ.context(1)) {
            for (int i = 0; i < n && !stopping.getAsBoolean(); i++) {
                long t0 = System.nanoTime();
                try (Subscriber.Connection c = how.open(context, watched)) {
                    byte[] first = null;
                    long giveUp = t0 + GIVE_UP_MILLIS * 1_000_000;
                    while (first == null && System.nanoTime() < giveUp) {
                        first = c.recv(100);
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (first == null) {
                        never++;
                        line.accept("subscriber " + (i + 1) + " never served within " + GIVE_UP_MILLIS + " ms");
                    } else {
                        waits.add(ms);
                        if (ms > 1000) {
                            line.accept(String.format(Locale.ROOT, "subscriber %d waited %.0f ms%s", i + 1, ms,
                                    watched ? " (nudged " + c.kicks() + " times, reopened " + c.drops() + " times)" : ""));
                        }
                    }
                    kicks += c.kicks();
                    drops += c.drops();
                }
            }
        }
        waits.sort(null);
        long over = waits.stream().filter(w -> w > 1000).count();
        double max = waits.isEmpty() ? 0 : waits.get(waits.size() - 1);
        double p50 = Receiver.percentile(waits, 50);
        double p99 = Receiver.percentile(waits, 99);
        out.printf(Locale.ROOT, "connects: %d subscribers (%s), connect -> first message p50 %.1f ms p99 %.1f ms "
                + "max %.1f ms, %d over 1 s, %d never served, %d nudges, %d connections dropped before their greeting%n",
                waits.size() + never, watched ? "watched" : "bare JeroMQ", p50, p99, max, over, never, kicks, drops);
        if (json) {
            final int nv = never;
            final long k = kicks;
            final long d = drops;
            out.println(WireJson.write(w -> w.beginObject().name("bench").value("edgegate-receive-connects")
                    .name("client").value(watched ? "jeromq-watched" : "jeromq-bare")
                    .name("subscribers").value(waits.size() + nv).name("p50_ms").value(p50)
                    .name("p99_ms").value(p99).name("max_ms").value(max)
                    .name("over_1s").value(over).name("never").value(nv).name("nudges").value(k)
                    .name("dropped_before_greeting").value(d).endObject()));
        }
        out.flush();
        return never == 0 ? 0 : 1;
    }
}
