package org.edgegate.api.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Something the gateway runs that an operator wants to see the health of. Sensors, cameras and
 * endpoints register their services under sub-interfaces of this one; {@code gw:status} lists all.
 */
@ProviderType
public interface Monitored {
    /** What kind of thing this is: {@code sensor}, {@code camera}, {@code endpoint}, ... */
    String kind();

    /** The configured id, unique within its kind; follows {@link Ids} (a refused one is shown through {@link Ids#quote}). */
    String id();

    Health health();
}
