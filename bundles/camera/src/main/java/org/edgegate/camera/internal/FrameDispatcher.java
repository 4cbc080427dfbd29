package org.edgegate.camera.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.camera.FrameListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Delivers frames to the {@link FrameListener} whiteboard. Each listener has its own thread and one slot
 * per camera: a newer frame replaces the one still waiting there (a drop, counted for the camera), so a
 * slow listener only skips frames. Publishing never waits for a listener.
 */
@Component(service = FrameDispatcher.class, immediate = true)
public class FrameDispatcher {
    private static final long JOIN_MILLIS = 2000;
    private static final long ERROR_LOG_INTERVAL_NANOS = 10_000_000_000L;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final Map<Long, Channel> byServiceId = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFrameListener(FrameListener listener, Map<String, Object> props) {
        Channel c = new Channel(listener, (Long) props.get(Constants.SERVICE_ID), cameraIds(props));
        byServiceId.put(c.serviceId, c);
        channels.add(c);
        c.thread.start();
    }

    void updatedFrameListener(FrameListener listener, Map<String, Object> props) {
        Channel c = byServiceId.get((Long) props.get(Constants.SERVICE_ID));
        if (c != null) {
            c.cameras = cameraIds(props);
        }
    }

    void unbindFrameListener(FrameListener listener, Map<String, Object> props) {
        Channel c = byServiceId.remove((Long) props.get(Constants.SERVICE_ID));
        if (c != null) {
            channels.remove(c);
            c.close();
        }
    }

    @Deactivate
    void deactivate() {
        for (Channel c : channels) {
            c.close();
        }
        channels.clear();
        byServiceId.clear();
    }

    /** Offers a frame to every listener that wants its camera; the caller keeps its own reference. */
    void publish(CapturedFrame frame) {
        for (Channel c : channels) {
            c.offer(frame);
        }
    }

    /** One listener's counters. */
    record ListenerStats(String name, long serviceId, long delivered, long dropped) {
    }

    List<ListenerStats> listeners() {
        List<ListenerStats> l = new ArrayList<>();
        for (Channel c : channels) {
            l.add(new ListenerStats(c.listener.getClass().getName(), c.serviceId, c.delivered.get(), c.dropped.get()));
        }
        return l;
    }

    private static Set<String> cameraIds(Map<String, Object> props) {
        Object v = props.get(FrameListener.CAMERA_ID);
        List<String> ids = new ArrayList<>();
        if (v instanceof String s) {
            ids.add(s);
        } else if (v instanceof String[] a) {
            ids.addAll(List.of(a));
        } else if (v instanceof Collection<?> col) {
            col.forEach(o -> ids.add(String.valueOf(o)));
        }
        ids.removeIf(String::isBlank);
        return Set.copyOf(ids);
    }

    private final class Channel implements Runnable {
        final FrameListener listener;
        final long serviceId;
        final Thread thread;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        volatile Set<String> cameras;
        /** Waiting frames by camera id; insertion order makes cameras take turns. */
        private final LinkedHashMap<String, CapturedFrame> waiting = new LinkedHashMap<>();
        private boolean closed;
        private long errors;
        private long lastErrorLog;

        Channel(FrameListener listener, long serviceId, Set<String> cameras) {
            this.listener = listener;
            this.serviceId = serviceId;
            this.cameras = cameras;
            this.thread = new Thread(this, "edgegate-camera-listener-" + serviceId);
            thread.setDaemon(true);
        }

        void offer(CapturedFrame frame) {
            Set<String> wanted = cameras;
            if (!wanted.isEmpty() && !wanted.contains(frame.cameraId())) {
                return;
            }
            if (!frame.tryRetain()) {
                return;
            }
            CapturedFrame replaced;
            synchronized (this) {
                if (closed) {
                    frame.release();
                    return;
                }
                replaced = waiting.put(frame.cameraId(), frame);
                notifyAll();
            }
            if (replaced != null) {
                dropped.incrementAndGet();
                replaced.stats().dropped();
                replaced.release();
            }
        }

        @Override
        public void run() {
            while (true) {
                CapturedFrame frame;
                synchronized (this) {
                    while (!closed && waiting.isEmpty()) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // close() interrupts; the loop condition decides
                        }
                    }
                    if (closed) {
                        return;
                    }
                    Iterator<CapturedFrame> it = waiting.values().iterator();
                    frame = it.next();
                    it.remove();
                }
                try {
                    listener.frameReceived(frame);
                    delivered.incrementAndGet();
                } catch (RuntimeException e) {
                    logError(e);
                } finally {
                    frame.release();
                }
            }
        }

        private void logError(RuntimeException e) {
            errors++;
            long now = System.nanoTime();
            if (errors == 1 || now - lastErrorLog > ERROR_LOG_INTERVAL_NANOS) {
                lastErrorLog = now;
                log.warn("frame listener {} failed ({} failures so far)", listener.getClass().getName(), errors, e);
            }
        }

        void close() {
            List<CapturedFrame> left;
            synchronized (this) {
                closed = true;
                left = new ArrayList<>(waiting.values());
                waiting.clear();
                notifyAll();
            }
            left.forEach(CapturedFrame::release);
            thread.interrupt();
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("frame listener {} is still busy after {} ms; its thread ends when it returns",
                        listener.getClass().getName(), JOIN_MILLIS);
            }
        }
    }
}
