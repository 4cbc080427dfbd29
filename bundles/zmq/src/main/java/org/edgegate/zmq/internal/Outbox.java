package org.edgegate.zmq.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.camera.Frame;

/**
 * What waits for an endpoint's socket thread, bounded so a missing or slow receiver never grows memory:
 * readings and state changes in a queue that drops its oldest entry when full, frames in one slot per
 * camera that a newer frame replaces. Producers (sensor readers, frame deliverers, state delivery) never
 * wait; every item lost this way is counted in {@link #dropped()}.
 *
 * <p>Frames beyond the per-camera rate limit ({@link #admit}) are skipped before they take a slot; they
 * are not drops.
 */
final class Outbox {
    private final int capacity;
    private final long minIntervalNanos;
    private final Runnable wakeup;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicLong dropped;

    private final ArrayDeque<Object> events = new ArrayDeque<>();
    private final LinkedHashMap<String, Frame> frames = new LinkedHashMap<>();
    private final Map<String, Long> nextDue = new HashMap<>();
    private boolean eventTurn;

    /**
     * @param capacity readings and state changes held at most
     * @param maxFps frames per second per camera at most, 0 for no limit
     * @param wakeup tells the socket thread there is work; called at most once until {@link #awake()}
     * @param dropped counter of items lost
     */
    Outbox(int capacity, double maxFps, Runnable wakeup, AtomicLong dropped) {
        this.capacity = capacity;
        this.minIntervalNanos = maxFps > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / maxFps) : 0;
        this.wakeup = wakeup;
        this.dropped = dropped;
    }

    /** Queues a reading or state change; drops the oldest one when full. */
    void offerEvent(Object event) {
        synchronized (this) {
            if (events.size() >= capacity) {
                events.pollFirst();
                dropped.incrementAndGet();
            }
            events.addLast(event);
        }
        signal();
    }

    /** Puts a frame in its camera's slot, replacing (and counting as dropped) a frame not yet sent. */
    void offerFrame(Frame frame) {
        synchronized (this) {
            if (frames.put(frame.cameraId(), frame) != null) {
                dropped.incrementAndGet();
            }
        }
        signal();
    }

    /**
     * Whether a frame of this camera captured at {@code nanoTime} is within the rate limit (and, if so,
     * books its turn). Paces each camera without drifting: a late frame does not push later ones.
     */
    synchronized boolean admit(String camera, long nanoTime) {
        return minIntervalNanos == 0 || due(camera, nanoTime);
    }

    private boolean due(String camera, long now) {
        Long next = nextDue.get(camera);
        if (next != null && now - next < 0) {
            return false;
        }
        long following = next == null ? now + minIntervalNanos : next + minIntervalNanos;
        if (following - now <= 0) {
            following = now + minIntervalNanos; // idle for a while: start again from now, no burst
        }
        nextDue.put(camera, following);
        return true;
    }

    /**
     * The next thing to send, or null when empty. Alternates between the event queue and the frame slots
     * so neither starves the other; frames come out oldest-waiting camera first.
     */
    synchronized Object poll() {
        eventTurn = !eventTurn;
        if ((eventTurn || frames.isEmpty()) && !events.isEmpty()) {
            return events.pollFirst();
        }
        return pollFrame();
    }

    /** The next frame only (for senders that carry nothing else), or null. */
    synchronized Frame pollFrame() {
        Iterator<Frame> it = frames.values().iterator();
        if (!it.hasNext()) {
            return null;
        }
        Frame f = it.next();
        it.remove();
        return f;
    }

    synchronized boolean isEmpty() {
        return events.isEmpty() && frames.isEmpty();
    }

    synchronized int size() {
        return events.size() + frames.size();
    }

    /** Drops everything waiting (counted), e.g. when the endpoint stops. */
    synchronized void clear() {
        dropped.addAndGet(events.size() + frames.size());
        events.clear();
        frames.clear();
    }

    /**
     * Called by the socket thread when woken, before it drains: consumes the wake-up signals given so far,
     * then re-arms, so the next offer signals again. In this order a signal given while consuming finds
     * the flag still set and is not sent; the other way round it would be consumed unseen and leave the
     * flag set: no more wake-ups.
     */
    void awake(Runnable consumeSignals) {
        consumeSignals.run();
        wakePending.set(false);
    }

    /** Offers wake nobody until the next {@link #awake}: the socket thread comes back by itself (batch window). */
    void silence() {
        wakePending.set(true);
    }

    private void signal() {
        if (wakePending.compareAndSet(false, true)) {
            wakeup.run();
        }
    }

    long dropped() {
        return dropped.get();
    }
}
