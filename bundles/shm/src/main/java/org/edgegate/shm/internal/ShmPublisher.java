package org.edgegate.shm.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameListener;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Monitored;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One shared-memory publisher (factory PID {@value #PID}): a frame listener that writes each camera's
 * frames into {@code <dir>/<camera>.frames} ({@link FrameFile}). A camera's file is made with its first
 * frame, made anew (a new generation) when its size changes or another process damaged it, and removed when
 * the publisher stops. A wrong configuration leaves the publisher FAILED with the reason in gw:status.
 */
@Component(name = ShmPublisher.PID, configurationPid = ShmPublisher.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { Monitored.class, ShmPublisher.class })
@Designate(ocd = ShmConfig.class, factory = true)
public class ShmPublisher implements Monitored {
    static final String PID = "org.edgegate.shm.frames";
    private static final long RETRY_NANOS = 1_000_000_000L;
    private static final long PATH_CHECK_NANOS = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** Files published by any publisher of this bundle: two publishers must not write the same file. */
    private static final Map<Path, String> CLAIMED = new ConcurrentHashMap<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private String id = "";
    private volatile Health failure;
    private volatile Health lastHealth;
    private Settings settings;
    private ServiceRegistration<FrameListener> registration;
    private final Map<String, Publication> publications = new LinkedHashMap<>();
    private boolean closed;

    /** The configuration, checked. */
    record Settings(List<String> cameras, Path dir, int slots, FrameFormat format, FilePermissions permissions,
            boolean checksum) {
        static Settings of(ShmConfig c, Path home) {
            List<String> cameras = new ArrayList<>();
            for (String entry : c.cameras() == null ? new String[0] : c.cameras()) {
                for (String part : entry.split(",")) {
                    String t = part.trim();
                    if (!t.isEmpty() && !cameras.contains(t)) {
                        cameras.add(Ids.check("cameras", t)); // a camera id names a file: never ../ or a path
                    }
                }
            }
            String dirText = c.dir() == null ? "" : c.dir().trim();
            if (dirText.isEmpty()) {
                throw new IllegalArgumentException("dir is empty: give a directory on a tmpfs such as /dev/shm/edgegate");
            }
            Path dir = Path.of(dirText);
            if (!dir.isAbsolute()) {
                dir = home.resolve(dir);
            }
            if (c.slots() < 2 || c.slots() > 64) {
                throw new IllegalArgumentException("slots must be 2 to 64, not " + c.slots());
            }
            return new Settings(List.copyOf(cameras), dir.normalize(), c.slots(), FrameFormat.parse(c.format()),
                    FilePermissions.parse(c.mode(), c.group()), c.checksum());
        }
    }

    @Activate
    void activate(ShmConfig config, BundleContext context, Map<String, Object> properties) {
        String rawId = config.id() == null || config.id().isBlank() ? nameOf(properties) : config.id().trim();
        id = Ids.quote(rawId); // a refused id is shown shortened (health, logs, labels)
        String home = context.getProperty("edgegate.home");
        try {
            Ids.check("id", rawId);
            settings = Settings.of(config, Path.of(home == null ? "." : home));
            settings.permissions().makeDirectory(settings.dir());
        } catch (IllegalArgumentException | IOException | UnsupportedOperationException e) {
            String reason = e instanceof IOException ? "cannot use the directory " + config.dir() + ": "
                    + (e.getClass() == IOException.class ? e.getMessage() : e.toString()) : e.getMessage();
            failure = Health.of(HealthState.FAILED, reason);
            log.error("shared-memory publisher {} not started: {}", id, reason);
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        if (!settings.cameras().isEmpty()) {
            props.put(FrameListener.CAMERA_ID, settings.cameras().toArray(String[]::new));
        }
        registration = context.registerService(FrameListener.class, new Writer(this), props);
        log.info("shared-memory publisher {}: {} as {} in {}", id, settings.cameras().isEmpty() ? "every camera"
                : String.join(", ", settings.cameras()), settings.format().key(), settings.dir());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister(); // the dispatcher lets the listener's thread finish its frame first
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
            registration = null;
        }
        synchronized (this) {
            closed = true;
            for (Publication p : publications.values()) {
                p.close();
            }
            publications.clear();
        }
    }

    /** The listener, a named class so gw:cameras shows whose it is. */
    private record Writer(ShmPublisher publisher) implements FrameListener {
        @Override
        public void frameReceived(Frame frame) {
            publisher.publish(frame);
        }
    }

    void publish(Frame frame) {
        if (frame.isPlaceholder()) {
            return;
        }
        Publication p;
        synchronized (this) {
            if (closed) {
                return;
            }
            p = publications.computeIfAbsent(frame.cameraId(), Publication::new);
        }
        p.write(frame);
    }

    /** One camera's file and counters. Writes come from the listener's one thread; reads from commands. */
    final class Publication {
        final String camera;
        final Path path;
        private FrameFile file;
        private boolean claimed;
        private FileLock lock;
        private boolean closed;
        private long frames;
        private long bytes;
        private long generations;
        private long errors;
        private String lastError = "";
        private long lastErrorNanos;
        private long lastAttemptNanos;
        private long lastPathCheckNanos;
        private long lastLogNanos;
        private long cpuNanos;
        private long wallNanos;

        Publication(String camera) {
            this.camera = camera;
            this.path = settings.dir().resolve(camera + ".frames");
        }

        synchronized void write(Frame frame) {
            if (closed) {
                return;
            }
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            try {
                if (!claim()) {
                    return;
                }
                long length = settings.format() == FrameFormat.BGR ? 3L * frame.width() * frame.height()
                        : frame.jpeg().length;
                if (file != null && wall0 - lastPathCheckNanos > PATH_CHECK_NANOS) {
                    lastPathCheckNanos = wall0;
                    if (!file.isAtItsPath()) {
                        problem("the file was removed or replaced by another process; making it anew", null);
                        file.close(false);
                        file = null;
                    }
                }
                if (file == null || !file.fits(frame.width(), frame.height(), length)) {
                    if (!renew(frame, length)) {
                        return;
                    }
                }
                try {
                    bytes += file.write(frame, settings.checksum());
                } catch (FrameFile.Damaged damaged) {
                    problem(damaged.getMessage() + "; making it anew", null);
                    file.close(false);
                    file = null;
                    if (!renew(frame, length)) {
                        return;
                    }
                    bytes += file.write(frame, settings.checksum());
                }
                frames++;
            } catch (FrameFile.Damaged | RuntimeException | InternalError e) {
                problem(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            } finally {
                wallNanos += System.nanoTime() - wall0;
                long cpu1 = THREADS.getCurrentThreadCpuTime();
                if (cpu0 >= 0 && cpu1 >= 0) {
                    cpuNanos += cpu1 - cpu0;
                }
            }
        }

        /**
         * Claims the file for this publisher: against the other publishers of this gateway (a map), and against
         * other processes (another gateway on the machine) by a lock on {@code .<camera>.frames.lock} beside it.
         */
        private boolean claim() {
            if (claimed) {
                return true;
            }
            long now = System.nanoTime();
            if (lastAttemptNanos != 0 && now - lastAttemptNanos < RETRY_NANOS) {
                return false;
            }
            lastAttemptNanos = now;
            String owner = CLAIMED.putIfAbsent(path, id);
            if (owner != null && !owner.equals(id)) {
                problem(path + " is already published by shared-memory publisher " + owner, null);
                return false;
            }
            try {
                settings.permissions().makeDirectory(settings.dir());
                lock = FileLock.take(settings.dir().resolve("." + camera + ".frames.lock"), settings.permissions());
            } catch (IOException e) {
                CLAIMED.remove(path, id);
                problem(e.getMessage(), null);
                return false;
            }
            lastAttemptNanos = 0;
            claimed = true;
            return true;
        }

        /** A new file for this frame's size (a new generation); at most one attempt a second after a failure. */
        private boolean renew(Frame frame, long length) {
            long now = System.nanoTime();
            if (file == null && lastAttemptNanos != 0 && now - lastAttemptNanos < RETRY_NANOS) {
                return false;
            }
            lastAttemptNanos = now;
            long capacity = settings.format() == FrameFormat.BGR ? length
                    : Math.max(2 * length, (long) frame.width() * frame.height());
            FrameFile old = file;
            try {
                settings.permissions().makeDirectory(settings.dir());
                file = FrameFile.create(settings.dir(), camera, settings.format(), frame.width(), frame.height(),
                        capacity, settings.slots(), settings.permissions());
            } catch (IOException | RuntimeException e) {
                file = null;
                if (old != null) {
                    old.close(true);
                }
                problem("cannot make " + path + ": " + e, null);
                return false;
            }
            if (old != null) {
                old.close(false); // the new file took its path and marked it replaced
            }
            generations++;
            lastAttemptNanos = 0;
            lastPathCheckNanos = now;
            if (lastError.isEmpty() || now - lastErrorNanos > LOG_INTERVAL_NANOS) {
                log.info("shared-memory publisher {}: {} for {}x{} {} frames, {} slots (generation {})", id, path,
                        frame.width(), frame.height(), settings.format().key(), settings.slots(), file.generation());
            }
            return true;
        }

        private void problem(String message, Throwable cause) {
            errors++;
            lastError = message;
            long now = System.nanoTime();
            lastErrorNanos = now;
            if (errors == 1 || now - lastLogNanos > LOG_INTERVAL_NANOS) {
                lastLogNanos = now;
                if (cause != null) {
                    log.warn("shared-memory publisher {}, camera {}: {} ({} errors so far)", id, camera, message, errors,
                            cause);
                } else {
                    log.warn("shared-memory publisher {}, camera {}: {} ({} errors so far)", id, camera, message, errors);
                }
            }
        }

        synchronized void close() {
            closed = true;
            if (file != null) {
                file.close(true);
                file = null;
            }
            if (claimed) {
                lock.release();
                CLAIMED.remove(path, id);
            }
        }

        synchronized Row row() {
            FrameFile f = file;
            return new Row(camera, path, f != null, f == null ? 0 : f.width(), f == null ? 0 : f.height(),
                    f == null ? 0 : f.size(), frames, bytes, generations, errors, lastError,
                    frames == 0 ? 0 : cpuNanos / 1000.0 / frames, frames == 0 ? 0 : wallNanos / 1000.0 / frames,
                    System.nanoTime() - lastErrorNanos < 2 * RETRY_NANOS && f == null);
        }
    }

    /** One camera's figures for gw:shm. {@code failing}: the last attempt to make its file failed just now. */
    record Row(String camera, Path path, boolean open, int width, int height, long fileBytes, long frames,
            long bytes, long generations, long errors, String lastError, double cpuMicrosPerFrame,
            double wallMicrosPerFrame, boolean failing) {
    }

    synchronized List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Publication p : publications.values()) {
            rows.add(p.row());
        }
        rows.sort(Comparator.comparing(Row::camera));
        return rows;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public String kind() {
        return "shm";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Health health() {
        Health f = failure;
        if (f != null) {
            return f;
        }
        List<Row> rows = rows();
        HealthState state = HealthState.OPEN;
        long open = rows.stream().filter(Row::open).count();
        String reason = open == 0 ? "waiting for frames" : open + " file" + (open == 1 ? "" : "s") + " in "
                + settings.dir();
        for (Row r : rows) {
            if (r.failing()) {
                state = HealthState.RECONNECTING;
                reason = r.camera() + ": " + r.lastError();
                break;
            }
        }
        Health last = lastHealth;
        if (last != null && last.state() == state && last.reason().equals(reason)) {
            return last; // keeps the time the state was entered
        }
        return lastHealth = Health.of(state, reason);
    }

    private static String nameOf(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        String s = pid == null ? "shm" : String.valueOf(pid);
        int tilde = s.lastIndexOf('~');
        return tilde >= 0 ? s.substring(tilde + 1) : s;
    }

    @Override
    public String toString() {
        return "shared-memory publisher " + id + " " + Arrays.asList(settings == null ? List.of() : settings.cameras());
    }
}
