package org.edgegate.webconsole.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.ReadingListener;
import org.osgi.service.component.annotations.Component;

/**
 * The last ten minutes of every numeric sensor channel, in memory, for the dashboard's trends: a
 * {@link ReadingListener} keeping one ring per channel of one-second buckets (last, min and max value of
 * that second), so memory is bounded (600 buckets per channel) whatever the line rate. Nothing is
 * persisted: a restart starts empty.
 */
@Component(service = {ReadingListener.class, Trends.class}, property = Delivery.PROPERTY + "=" + Delivery.DIRECT)
public class Trends implements ReadingListener {
    /** The window kept and shown, in seconds. */
    static final int WINDOW_SECONDS = 600;

    private final ConcurrentMap<String, ConcurrentMap<String, Ring>> sensors = new ConcurrentHashMap<>();

    @Override
    public void readingReceived(Reading r) {
        long second = r.time().getEpochSecond();
        r.values().forEach((channel, value) -> {
            if (value instanceof Number n) {
                double v = n.doubleValue();
                if (Double.isFinite(v)) {
                    sensors.computeIfAbsent(r.sensorId(), id -> new ConcurrentHashMap<>())
                            .computeIfAbsent(channel, c -> new Ring(WINDOW_SECONDS))
                            .add(second, v, r.units().getOrDefault(channel, ""));
                }
            }
        });
    }

    /**
     * Per sensor, per channel: unit, and the buckets from {@code sinceSecond} on (inclusive: the current
     * second's bucket may have changed since it was last sent) as arrays {@code t} (epoch seconds),
     * {@code v} (last), {@code lo}, {@code hi}. Channels with nothing in the window are dropped.
     */
    Map<String, Object> json(long nowSecond, long sinceSecond) {
        long from = Math.max(sinceSecond, nowSecond - WINDOW_SECONDS);
        Map<String, Object> out = new TreeMap<>();
        sensors.forEach((sensor, channels) -> {
            Map<String, Object> c = new TreeMap<>();
            channels.forEach((name, ring) -> {
                Map<String, Object> series = ring.since(from, nowSecond - WINDOW_SECONDS);
                if (series == null) {
                    channels.remove(name, ring);
                } else {
                    c.put(name, series);
                }
            });
            if (channels.isEmpty()) {
                sensors.remove(sensor, channels);
            }
            if (!c.isEmpty()) {
                out.put(sensor, c);
            }
        });
        return out;
    }

    /** One channel's buckets, oldest first, at most one per second. */
    static final class Ring {
        private final long[] t;
        private final double[] last;
        private final double[] lo;
        private final double[] hi;
        private int head; // next slot
        private int size;
        private String unit = "";

        Ring(int capacity) {
            t = new long[capacity];
            last = new double[capacity];
            lo = new double[capacity];
            hi = new double[capacity];
        }

        synchronized void add(long second, double v, String unit) {
            this.unit = unit;
            int newest = (head - 1 + t.length) % t.length;
            if (size > 0 && t[newest] == second) {
                last[newest] = v;
                lo[newest] = Math.min(lo[newest], v);
                hi[newest] = Math.max(hi[newest], v);
                return;
            }
            if (size > 0 && second < t[newest]) {
                return; // clock stepped back: keep the ring ordered
            }
            t[head] = second;
            last[head] = v;
            lo[head] = v;
            hi[head] = v;
            head = (head + 1) % t.length;
            size = Math.min(size + 1, t.length);
        }

        /** Buckets at or after {@code from}; null when the newest is older than {@code expired}. */
        synchronized Map<String, Object> since(long from, long expired) {
            if (size == 0 || t[(head - 1 + t.length) % t.length] <= expired) {
                return null;
            }
            List<Long> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            List<Double> los = new ArrayList<>();
            List<Double> his = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int k = (head - size + i + t.length) % t.length;
                if (t[k] >= from) {
                    ts.add(t[k]);
                    vs.add(last[k]);
                    los.add(lo[k]);
                    his.add(hi[k]);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("unit", unit);
            out.put("t", ts);
            out.put("v", vs);
            out.put("lo", los);
            out.put("hi", his);
            return out;
        }
    }
}
