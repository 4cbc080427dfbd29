package org.edgegate.api.health;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A service with counters of its own for {@code /metrics}, beyond what the sensor, camera and endpoint
 * statistics carry: the metrics bundle asks every such service at each scrape (nothing is sampled in the
 * background). Names follow docs/metrics.md ({@code edgegate_<part>_<what>}, counters ending in {@code _total});
 * label values are the provider's to bound (ids, see {@link Ids}), the metrics bundle escapes and cuts them.
 */
@ConsumerType
public interface Metered {
    /** Writes this service's samples; called on the scraping thread, so it returns quickly and never blocks. */
    void metrics(Samples out);

    /** Where a {@link Metered} service writes: one call per sample, labels as name, value, name, value... */
    @ProviderType
    interface Samples {
        /** A count that only rises (restarting from 0 when its owner restarts); the name ends in {@code _total}. */
        void counter(String name, String help, double value, String... labels);

        /** A value that goes up and down. */
        void gauge(String name, String help, double value, String... labels);
    }
}
