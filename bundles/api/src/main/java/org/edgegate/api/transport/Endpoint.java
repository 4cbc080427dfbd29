package org.edgegate.api.transport;

import org.edgegate.api.health.Monitored;
import org.osgi.annotation.versioning.ProviderType;

/** A configured transport endpoint, registered as a service while its configuration exists. */
@ProviderType
public interface Endpoint extends Monitored {
    @Override
    default String kind() {
        return "endpoint";
    }

    /** {@code native}, {@code seed}, {@code imagezmq}, {@code state}, ... */
    String mode();

    /** The address it binds or connects to. */
    String address();

    EndpointStatistics statistics();
}
