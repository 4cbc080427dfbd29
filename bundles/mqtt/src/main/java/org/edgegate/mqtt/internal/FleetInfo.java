package org.edgegate.mqtt.internal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.Monitored;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import com.google.gson.Gson;

/**
 * The retained {@code <prefix>/info} of remote configuration: what a fleet operator asks of a gateway before
 * logging in — its version, uptime, host, the bundles and their state, and every sensor, camera and endpoint with
 * its health.
 */
final class FleetInfo {
    private static final Gson GSON = new Gson();
    /** Things listed per kind at most (a gateway with thousands of sensors still sends a bounded message). */
    private static final int MAX_PER_KIND = 500;

    private FleetInfo() {
    }

    static byte[] json(BundleContext context, String gateway, String host) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("gateway", gateway);
        info.put("version", context.getBundle().getVersion().toString());
        info.put("host", host);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        info.put("started", Instant.now().minusMillis(uptime).toString());
        info.put("uptimeSeconds", uptime / 1000);
        info.put("ts", Instant.now().toString());
        List<Map<String, Object>> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", b.getSymbolicName());
            m.put("version", b.getVersion().toString());
            m.put("state", state(b.getState()));
            bundles.add(m);
        }
        info.put("bundles", bundles);
        Map<String, List<Map<String, Object>>> byKind = new LinkedHashMap<>();
        for (String kind : List.of("sensor", "camera", "endpoint")) {
            byKind.put(kind, new ArrayList<>());
        }
        for (ServiceReference<Monitored> r : monitored(context)) {
            Monitored m = context.getService(r);
            if (m == null) {
                continue;
            }
            try {
                List<Map<String, Object>> list = byKind.computeIfAbsent(kind(m), k -> new ArrayList<>());
                if (list.size() < MAX_PER_KIND) {
                    Health h = m.health();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", m.id());
                    row.put("health", h.state().name());
                    if (!h.reason().isEmpty()) {
                        row.put("reason", h.reason());
                    }
                    list.add(row);
                }
            } finally {
                context.ungetService(r);
            }
        }
        byKind.values().forEach(l -> l.sort(Comparator.comparing(m -> String.valueOf(m.get("id")))));
        byKind.forEach((kind, list) -> info.put(kind + "s", list));
        return GSON.toJson(info).getBytes(StandardCharsets.UTF_8);
    }

    /** Sensors and cameras by their own kind; every endpoint (mqtt, zmq, http) under "endpoint". */
    private static String kind(Monitored m) {
        String k = m.kind();
        return k.equals("sensor") || k.equals("camera") ? k : "endpoint";
    }

    private static List<ServiceReference<Monitored>> monitored(BundleContext context) {
        try {
            return new ArrayList<>(context.getServiceReferences(Monitored.class, null));
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return List.of();
        }
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
