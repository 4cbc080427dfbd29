package org.edgegate.metrics.internal;

import java.util.Collection;
import java.util.List;

import org.edgegate.api.health.Metered;

/**
 * The samples of every {@link Metered} service (clip rules and the like), read at scrape time. A service may
 * write only {@code edgegate_} families and at most {@value #MAX_SAMPLES} samples a scrape; one that breaks a rule
 * or throws loses the rest of its samples and is counted in {@code edgegate_metrics_read_errors_total}.
 */
final class MeteredMetrics {
    static final String PREFIX = "edgegate_";
    static final int MAX_SAMPLES = 1_000;

    private MeteredMetrics() {
    }

    static void collect(Registry r, Collection<? extends Metered> services, long[] errors) {
        for (Metered m : services == null ? List.<Metered>of() : List.copyOf(services)) {
            try {
                m.metrics(new Sink(r));
            } catch (RuntimeException e) {
                errors[0]++;
            }
        }
    }

    /** Writes into the registry, refusing what a service must not write. */
    private static final class Sink implements Metered.Samples {
        private final Registry registry;
        private int samples;

        Sink(Registry registry) {
            this.registry = registry;
        }

        @Override
        public void counter(String name, String help, double value, String... labels) {
            registry.counter(checked(name), help).add(value, labels);
        }

        @Override
        public void gauge(String name, String help, double value, String... labels) {
            registry.gauge(checked(name), help).add(value, labels);
        }

        private String checked(String name) {
            if (++samples > MAX_SAMPLES) {
                throw new IllegalStateException("more than " + MAX_SAMPLES + " samples");
            }
            if (name == null || !name.startsWith(PREFIX) || name.startsWith("edgegate_metrics_")) {
                throw new IllegalArgumentException("not a name a service may write: " + name);
            }
            return name;
        }
    }
}
