package org.edgegate.serial.internal;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services of one kind by the value of one of their service properties (port providers by
 * {@code PortProvider.SCHEME}, parser factories by {@code LineParserFactory.NAME}) as DS binds and
 * unbinds them; a service without the property is left out.
 */
final class ServiceIndex<S> {
    private final String property;
    private final Map<String, S> services = new ConcurrentHashMap<>();

    ServiceIndex(String property) {
        this.property = property;
    }

    /** Adds the service under its key; returns the key, or null when it has none. */
    String add(S service, Map<String, Object> serviceProperties) {
        String key = key(serviceProperties);
        if (key != null) {
            services.put(key, service);
        }
        return key;
    }

    /**
     * Removes the service unless another has taken its key since; returns the key, or null when nothing
     * was removed.
     */
    String remove(S service, Map<String, Object> serviceProperties) {
        String key = key(serviceProperties);
        return key != null && services.remove(key, service) ? key : null;
    }

    S get(String key) {
        return services.get(key);
    }

    /** A copy in key order. */
    SortedMap<String, S> sorted() {
        return new TreeMap<>(services);
    }

    private String key(Map<String, Object> serviceProperties) {
        Object value = serviceProperties.get(property);
        return value == null ? null : value.toString();
    }
}
