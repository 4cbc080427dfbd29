package org.edgegate.http.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The MJPEG clients of every camera. Frames come from one {@link FrameListener}, registered only while some
 * client watches and only for the cameras watched (so a gateway nobody watches pays nothing): each frame
 * becomes one {@link Part} handed to every client of its camera. The listener's registration is changed on
 * a thread of its own, so a client leaving from inside frame delivery never waits for that delivery.
 */
@Component(service = Streams.class)
public final class Streams implements FrameListener {
    private final BundleContext context;
    private final Map<String, Set<StreamClient>> clients = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final ExecutorService registrar;
    private ServiceRegistration<FrameListener> registration;   // only on the registrar thread
    private Set<String> registeredFor = Set.of();
    private volatile boolean closed;

    @Activate
    public Streams(BundleContext context) {
        this.context = context;
        ThreadPoolExecutor e = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "edgegate-http-streams");
                    t.setDaemon(true);
                    return t;
                });
        this.registrar = e;
    }

    /** Takes a client on unless {@code max} are served already; false when refused. */
    boolean add(StreamClient client, int max) {
        if (closed || count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        clients.computeIfAbsent(client.cameraId, k -> new CopyOnWriteArraySet<>()).add(client);
        served.incrementAndGet();
        update();
        return true;
    }

    void remove(StreamClient client) {
        Set<StreamClient> set = clients.get(client.cameraId);
        if (set != null && set.remove(client)) {
            count.decrementAndGet();
            update();
        }
    }

    @Override
    public void frameReceived(Frame frame) {
        Set<StreamClient> set = clients.get(frame.cameraId());
        if (set == null || set.isEmpty() || frame.isPlaceholder()) {
            return;
        }
        Part part = Part.of(frame);                      // one JPEG, one header: shared by every client
        for (StreamClient c : set) {
            c.offer(part);
        }
    }

    int count() {
        return count.get();
    }

    long served() {
        return served.get();
    }

    List<StreamClient> all() {
        List<StreamClient> all = new ArrayList<>();
        clients.values().forEach(all::addAll);
        return all;
    }

    void closeCamera(String cameraId) {
        Set<StreamClient> set = clients.get(cameraId);
        if (set != null) {
            set.forEach(StreamClient::close);
        }
    }

    /** Ends every stream and the listener; waits briefly for the registration to go. */
    @Deactivate
    void close() {
        closed = true;
        for (StreamClient c : all()) {
            c.close();
        }
        registrar.execute(this::apply);
        registrar.shutdown();
        try {
            registrar.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void update() {
        if (!closed) {
            try {
                registrar.execute(this::apply);
            } catch (RuntimeException e) {
                // shut down meanwhile: close() unregisters
            }
        }
    }

    /** Makes the listener's registration match the watched cameras (on the registrar thread). */
    private void apply() {
        Set<String> watched = new TreeSet<>();
        if (!closed) {
            clients.forEach((id, set) -> {
                if (!set.isEmpty()) {
                    watched.add(id);
                }
            });
        }
        if (watched.equals(registeredFor)) {
            return;
        }
        try {
            if (watched.isEmpty()) {
                if (registration != null) {
                    registration.unregister();
                }
                registration = null;
            } else {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(FrameListener.CAMERA_ID, watched.toArray(String[]::new));
                if (registration == null) {
                    registration = context.registerService(FrameListener.class, this, props);
                } else {
                    registration.setProperties(props);
                }
            }
        } catch (IllegalStateException e) {
            registration = null;                         // the bundle is stopping: nothing to keep
        }
        registeredFor = watched;
    }
}
