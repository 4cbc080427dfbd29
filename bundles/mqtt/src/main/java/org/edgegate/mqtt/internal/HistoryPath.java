package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.mqtt.internal.journal.Journal;

/**
 * The way of history messages (readings, QoS 1) to the broker, in order: sent straight while the journal is empty
 * and the window has room, else journaled and replayed from the journal at {@code replay.rate}. Messages sent
 * straight and not yet acknowledged are copied into the journal when the link is lost. Owned by the bridge's
 * sender thread.
 */
final class HistoryPath {
    /** Hands a message to the client: false when the client's own window is full (nothing sent). */
    interface Publisher {
        boolean publish(Link c, Outbound o);
    }

    private final Journal journal;
    private final MqttSettings settings;
    private final AtomicLong dropped;
    private final AtomicLong replayed = new AtomicLong();
    private final ArrayDeque<Outbound> direct = new ArrayDeque<>();
    private final ArrayDeque<Outbound> replaying = new ArrayDeque<>();
    private Journal.Entry carry;
    private double replayTokens;
    private long lastRefill = System.nanoTime();

    /** @param dropped counts a message too large for the journal */
    HistoryPath(Journal journal, MqttSettings settings, AtomicLong dropped) {
        this.journal = journal;
        this.settings = settings;
        this.dropped = dropped;
    }

    /** Whether readings must queue behind the journal (it holds unacknowledged records). */
    boolean backlog() {
        return journal.pending() > 0;
    }

    boolean hasUnread() {
        return journal.hasUnread();
    }

    long replayed() {
        return replayed.get();
    }

    /** A new link: replay from the last acknowledged record. */
    void connected() {
        journal.rewind();
    }

    /** The link went: journal what was sent straight on it, resend unacknowledged journal records later. */
    void lost() throws IOException {
        carry = null;
        spill();
        direct.clear();
        replaying.clear();
        journal.rewind();
    }

    /** Sends a message straight to the broker; false (nothing sent) when the client's window is full. */
    boolean sendStraight(Link c, Outbound o, Publisher publisher) {
        direct.add(o);
        if (publisher.publish(c, o)) {
            return true;
        }
        direct.pollLast(); // the client's own window is full: like ours, wait for acknowledgements
        return false;
    }

    /** Copies readings sent straight to the broker and not yet acknowledged into the journal, in order. */
    void spill() throws IOException {
        for (Outbound o : direct) {
            if (!o.acked && !o.spilled) {
                o.spilled = true;
                append(o);
            }
        }
    }

    /** Into the journal (a message larger than a segment is dropped and counted). */
    void append(Outbound o) throws IOException {
        try {
            journal.append(o.topic, o.payload);
        } catch (IllegalArgumentException tooLarge) {
            dropped.incrementAndGet();
        }
    }

    /** Forgets messages sent straight that are acknowledged or journaled. */
    void prune() {
        while (!direct.isEmpty() && (direct.peek().acked || direct.peek().spilled)) {
            direct.poll();
        }
        if (direct.size() > 4 * settings.maxInflight()) {
            direct.removeIf(o -> o.acked || o.spilled);
        }
    }

    /** Commits the replayed records the broker has acknowledged, in order. */
    void commitAcknowledged() throws IOException {
        while (!replaying.isEmpty() && replaying.peek().acked) {
            journal.commit(replaying.poll().entry);
            replayed.incrementAndGet();
        }
    }

    /** Replays journal records at {@code replay.rate} while the window has room. */
    void replay(Link c, Publisher publisher) throws IOException {
        long now = System.nanoTime();
        replayTokens = Math.min(settings.replayRate() / 10.0 + 1,
                replayTokens + (now - lastRefill) / 1e9 * settings.replayRate());
        lastRefill = now;
        while (replayTokens >= 1 && c.inflight.get() < settings.maxInflight() && c.usable()) {
            Journal.Entry e = carry != null ? carry : journal.next();
            carry = null;
            if (e == null) {
                break;
            }
            Outbound o = Outbound.replay(e);
            replaying.add(o);
            if (!publisher.publish(c, o)) {
                replaying.pollLast();
                carry = e; // sent first next time
                break;
            }
            replayTokens--;
        }
    }
}
