package org.edgegate.mqtt.internal;

import org.edgegate.mqtt.internal.journal.Journal;

/**
 * One message on its way to the broker. History messages (readings as JSON) are kept in order and journaled
 * while they cannot be sent; latest-value messages (plain values, state, pictures, discovery) replace older ones
 * on the same topic and are never journaled.
 */
final class Outbound {
    final String topic;
    final byte[] payload;
    final int qos;
    final boolean retained;
    final boolean history;
    /** Where a replayed message is in the journal, else null. */
    final Journal.Entry entry;
    /** When it was offered ({@link System#nanoTime()}). */
    final long offered;
    volatile boolean acked;
    /** Already copied into the journal (so a lost connection does not copy it again). */
    boolean spilled;

    Outbound(String topic, byte[] payload, int qos, boolean retained, boolean history, Journal.Entry entry) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retained = retained;
        this.history = history;
        this.entry = entry;
        this.offered = System.nanoTime();
    }

    static Outbound history(String topic, byte[] payload, int qos) {
        return new Outbound(topic, payload, qos, false, true, null);
    }

    static Outbound latest(String topic, byte[] payload, int qos, boolean retained) {
        return new Outbound(topic, payload, qos, retained, false, null);
    }

    static Outbound replay(Journal.Entry e) {
        return new Outbound(e.topic(), e.payload(), 1, false, true, e);
    }
}
