package org.edgegate.camera.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.delivery.Delivery;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.kernel.LatestValueDispatcher;
import org.edgegate.kernel.ServiceProperties;
import org.edgegate.kernel.Threads;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Delivers frames to the {@link FrameListener} whiteboard through the kernel's latest-value dispatcher:
 * each listener has one slot per camera; a newer frame replaces the one still waiting there (a drop,
 * counted for the camera), and one task at a time per listener delivers on a shared pool, so a slow
 * listener only skips frames and holds at most one thread. A direct listener gets frames whose JPEG is
 * made (passthrough) on the capture thread, no thread woken. Publishing never waits for a pooled listener.
 */
@Component(service = FrameDispatcher.class, immediate = true)
public class FrameDispatcher {
    private static final long SHUTDOWN_MILLIS = 2000;

    @Reference(service = LoggerFactory.class)
    private volatile Logger log;

    private final ExecutorService pool = Threads.pool("edgegate-camera-listener", 10);
    private final LatestValueDispatcher<String, CapturedFrame> dispatcher = new LatestValueDispatcher<>(pool,
            CapturedFrame::cameraId, new LatestValueDispatcher.Retention<>() {
                @Override
                public boolean retain(CapturedFrame frame) {
                    return frame.tryRetain();
                }

                @Override
                public void release(CapturedFrame frame) {
                    frame.release();
                }
            }, frame -> frame.stats().dropped(),
            ConnectorLog.of((f, a) -> log.info(f, a), (f, a) -> log.warn(f, a),
                    (f, a) -> log.debug(f, a)))
            .directWhen(CapturedFrame::isEncoded); // the capture thread never encodes for a listener
    private final Map<Long, Channel> byServiceId = new ConcurrentHashMap<>();

    /** One listener: its subscription and the cameras it wants (changed by a service property update). */
    private static final class Channel {
        final long serviceId;
        volatile Set<String> cameras;
        LatestValueDispatcher<String, CapturedFrame>.Subscription subscription;

        Channel(long serviceId, Set<String> cameras) {
            this.serviceId = serviceId;
            this.cameras = cameras;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFrameListener(FrameListener listener, Map<String, Object> props) {
        Channel c = new Channel((Long) props.get(Constants.SERVICE_ID), cameraIds(props));
        c.subscription = dispatcher.subscribe(listener.getClass().getName(),
                id -> c.cameras.isEmpty() || c.cameras.contains(id), listener::frameReceived, Delivery.isDirect(props));
        byServiceId.put(c.serviceId, c);
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
            c.subscription.cancel();
        }
    }

    @Deactivate
    void deactivate() {
        dispatcher.close();
        byServiceId.clear();
        if (!Threads.shutdown(pool, SHUTDOWN_MILLIS)) {
            log.warn("a frame listener is still busy after {} ms; its thread ends when it returns", SHUTDOWN_MILLIS);
        }
    }

    /** Offers a frame to every listener that wants its camera; the caller keeps its own reference. */
    void publish(CapturedFrame frame) {
        dispatcher.publish(frame);
    }

    /** One listener's counters. */
    record ListenerStats(String name, long serviceId, long delivered, long dropped) {
    }

    List<ListenerStats> listeners() {
        List<ListenerStats> l = new ArrayList<>();
        for (Channel c : byServiceId.values()) {
            var s = c.subscription;
            l.add(new ListenerStats(s.name(), c.serviceId, s.delivered(), s.dropped()));
        }
        l.sort(java.util.Comparator.comparingLong(ListenerStats::serviceId));
        return l;
    }

    private static Set<String> cameraIds(Map<String, Object> props) {
        List<String> ids = new ArrayList<>(ServiceProperties.strings(props.get(FrameListener.CAMERA_ID)));
        ids.removeIf(String::isBlank);
        return Set.copyOf(ids);
    }
}
