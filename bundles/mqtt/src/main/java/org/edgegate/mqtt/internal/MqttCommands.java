package org.edgegate.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.edgegate.api.health.Health;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.google.gson.GsonBuilder;

/** {@code gw:mqtt}: every broker connection with its counters; {@code --json} for scripts. */
@Component(service = MqttCommands.class, immediate = true,
        property = { "osgi.command.scope=gw", "osgi.command.function=mqtt" })
public class MqttCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<MqttBroker> brokers;

    @Descriptor("list MQTT brokers: id, uri, status, node in use, connected since, sent, queued, journaled, pending, dropped, "
            + "replayed, commands, refused, last error")
    public String mqtt(@Descriptor("print JSON instead of a table") @Parameter(names = "--json", absentValue = "false",
            presentValue = "true") boolean json) {
        List<MqttBroker> list = new ArrayList<>(brokers == null ? List.of() : brokers);
        list.sort(Comparator.comparing(MqttBroker::id));
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (MqttBroker b : list) {
                out.add(row(b));
            }
            return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(out);
        }
        if (list.isEmpty()) {
            return "no MQTT broker configured (factory PID " + MqttBroker.PID + "; see examples/etc/)";
        }
        StringBuilder out = new StringBuilder();
        for (MqttBroker b : list) {
            Health h = b.health();
            BridgeStatistics s = b.bridgeStatistics();
            out.append(b.id()).append("  ").append(b.address()).append("  ").append(h.state());
            if (s != null && !s.node().isEmpty() && b.settings().uris().size() > 1) {
                out.append(" on ").append(s.node()); // which node of the cluster
            }
            if (s != null && s.connectedSince() != null) {
                out.append(" since ").append(s.connectedSince()).append(" (")
                        .append(ago(s.connectedSince())).append(')');
            }
            out.append('\n');
            if (!h.reason().isEmpty() && h.isProblem()) {
                out.append("  ").append(h.reason()).append('\n');
            }
            if (s != null) {
                MqttSettings m = b.settings();
                out.append(String.format("  topics %s/...  client id %s  qos %d%n", m.prefix(), m.clientId(), m.qos()));
                out.append(String.format("  sent %d (%.1f/s)  queued %d  in flight %d  journaled %d  pending %d (%d bytes)  "
                        + "replayed %d  dropped %d (journal full %d)%n", s.sent(), s.sentPerSecond(), s.queued(), s.inflight(),
                        s.journaled(), s.pending(), s.journalBytes(), s.replayed(), s.dropped(), s.journalDropped()));
                out.append(String.format("  commands %d  refused %d  reconnects %d  corrupt journal records %d%n",
                        s.commands(), s.refused(), s.reconnects(), s.journalCorrupt()));
                out.append(String.format("  clips announced %d  clip events refused %d%n", b.clips().published(),
                        b.clips().refused()));
                if (!s.lastError().isEmpty()) {
                    out.append("  last error: ").append(s.lastError()).append('\n');
                }
                RemoteConfig r = b.remote();
                if (r != null) {
                    out.append(String.format("  remote configuration: %d changes  %d refused%n", r.changes.get(),
                            r.refused.get()));
                    if (!r.lastRefusal.isEmpty()) {
                        out.append("  last refused configuration: ").append(r.lastRefusal).append('\n');
                    }
                }
                if (!b.lastRefusal().isEmpty()) {
                    out.append("  last refused command: ").append(b.lastRefusal()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static Map<String, Object> row(MqttBroker b) {
        BridgeStatistics s = b.bridgeStatistics();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", b.id());
        m.put("uri", b.address());
        if (s != null) {
            m.putAll(s.asMap());
        }
        m.put("state", b.health().state().name());
        m.put("reason", b.health().reason());
        if (s != null) {
            m.put("prefix", b.settings().prefix());
            m.put("lastRefused", b.lastRefusal());
            m.put("clips", b.clips().published());
            m.put("clipsRefused", b.clips().refused());
            RemoteConfig r = b.remote();
            if (r != null) {
                m.put("remoteConfigChanges", r.changes.get());
                m.put("remoteConfigRefused", r.refused.get());
                m.put("remoteConfigLastRefused", r.lastRefusal);
            }
        }
        return m;
    }

    private static String ago(Instant t) {
        long s = Duration.between(t, Instant.now()).toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
