package org.edgegate.mqtt.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one broker connection since its configuration was applied (journal counters since the journal's
 * folder was created or last emptied for {@code pending}).
 *
 * @param sent messages the broker acknowledged (QoS 1) or that were written to it (QoS 0)
 * @param sentPerSecond over the last ten seconds
 * @param queued messages waiting in memory (readings queue and latest values)
 * @param journaled messages written to the journal
 * @param pending journaled messages not yet acknowledged (what a restart would replay)
 * @param replayed journaled messages sent and acknowledged
 * @param dropped messages lost on purpose: journal full (oldest), queue full, QoS 0 while offline, too large
 * @param commands state writes made from MQTT
 * @param refused commands refused (key outside commands.allow) or malformed (bad key or payload)
 * @param node the broker node (one of the URIs) of the open connection, empty while not connected
 */
record BridgeStatistics(String state, Instant connectedSince, long sent, double sentPerSecond, long queued, long journaled, long pending,
        long replayed, long dropped, long journalDropped, long journalBytes, long journalCorrupt, long commands,
        long refused, long reconnects, long inflight, String lastError, String node) {

    /** The counters by name, for gw:mqtt --json and metrics. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("node", node);
        m.put("connectedSince", connectedSince == null ? null : connectedSince.toString());
        m.put("sent", sent);
        m.put("sentPerSecond", Math.round(sentPerSecond * 10) / 10.0);
        m.put("queued", queued);
        m.put("journaled", journaled);
        m.put("pending", pending);
        m.put("replayed", replayed);
        m.put("dropped", dropped);
        m.put("journalDropped", journalDropped);
        m.put("journalBytes", journalBytes);
        m.put("journalCorrupt", journalCorrupt);
        m.put("commands", commands);
        m.put("refused", refused);
        m.put("reconnects", reconnects);
        m.put("inflight", inflight);
        m.put("lastError", lastError);
        return m;
    }
}
