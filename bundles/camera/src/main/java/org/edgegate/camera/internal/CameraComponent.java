package org.edgegate.camera.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.CameraStatistics;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.camera.FrameSourceProvider;
import org.edgegate.api.camera.JpegPath;
import org.edgegate.api.camera.SourceRequest;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.state.StateService;
import org.edgegate.camera.internal.jpeg.JpegCodecs;
import org.edgegate.camera.internal.jpeg.JpegPlan;
import org.edgegate.camera.internal.opencv.OpenCvNative;
import org.edgegate.camera.internal.source.FrameSource;
import org.edgegate.camera.internal.source.FrameSources;
import org.edgegate.camera.internal.source.PatternSource;
import org.edgegate.camera.internal.source.SourceProviders;
import org.edgegate.camera.internal.source.SourceSpec;
import org.edgegate.config.Secrets;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured camera. Capture runs while {@code camera/<id>/enabled} is true (the configuration's
 * {@code enabled} is written there as the initial value); the newest frame sits in a slot, is offered to
 * the frame listeners and is what {@link #latest()} gives. A configuration that cannot work leaves the
 * camera FAILED with the reason, never an exception out of activate.
 */
@Component(service = {Camera.class, Monitored.class}, immediate = true, configurationPid = CameraComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CameraConfig.class, factory = true)
public class CameraComponent implements Camera {
    static final String FACTORY_PID = "org.edgegate.camera";
    private static final long STOP_WAIT_MILLIS = 3000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private FrameDispatcher dispatcher;

    @Reference
    private JpegCodecs codecs;

    private volatile StateService state;
    private final SourceProviders providers = new SourceProviders();
    /** The configuration as source providers see it (with the login). */
    private volatile SourceRequest request;

    private final CameraStats stats = new CameraStats();
    private final AtomicReference<CapturedFrame> latest = new AtomicReference<>();
    private volatile Health health = Health.of(HealthState.STARTING, "");
    private volatile PlaceholderFrame placeholder;
    /** How the open source's JPEG is made (passed through, re-encoded or encoded), and why. */
    private volatile JpegPlan plan;
    private volatile String id = "";
    private volatile String source = "";
    private volatile CameraSettings settings;
    private volatile boolean active;
    /** Identifies the running capture loop; frames from a loop that was stopped are dropped. */
    private volatile int generation;
    /** camera/<id>/enabled, which starts and stops capture; null when the configuration cannot work. */
    private volatile EnabledSwitch enabled;
    private CaptureLoop loop;
    private BufferPool pool;
    private long lastSequence;
    private String lastLoggedProblem;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindState(StateService s) {
        state = s;
        EnabledSwitch e = enabled;
        if (e != null) {
            e.stateBound(s);
        }
    }

    void unbindState(StateService s) {
        if (state == s) {
            state = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSourceProvider(FrameSourceProvider provider, Map<String, Object> props) {
        List<String> schemes = providers.add(provider, props);
        synchronized (this) {
            CameraSettings s = settings;
            if (loop != null && s != null && schemes.contains(s.source().scheme())) {
                loop.kick(); // a camera waiting for this scheme opens now
            }
        }
    }

    void removeSourceProvider(FrameSourceProvider provider, Map<String, Object> props) {
        List<String> gone = providers.remove(provider, props);
        synchronized (this) {
            CameraSettings s = settings;
            if (loop != null && s != null && gone.contains(s.source().scheme())) {
                // Its source came from the provider going away: release it now and wait for the next one.
                log.info("camera {}: source scheme {} removed", id, s.source().scheme());
                stopCapture();
                startCapture();
            }
        }
    }

    @Activate
    void activate(CameraConfig config, BundleContext context, Map<String, Object> props) {
        id = config.id() == null || config.id().isBlank() ? String.valueOf(props.get("service.pid")) : config.id().trim();
        id = Ids.quote(id); // a refused id is shown shortened in health, logs and labels
        source = config.source() == null ? "" : config.source().trim();
        source = source.length() <= SourceSpec.MAX_LENGTH ? SourceRequest.masked(source) : Ids.quote(source);
        CameraSettings s;
        try {
            s = CameraSettings.of(config);
        } catch (IllegalArgumentException e) {
            fail("configuration: " + e.getMessage());
            return;
        }
        String opencv = OpenCvNative.ensureLoaded();
        if (opencv != null) {
            fail(opencv);
            return;
        }
        settings = s;
        request = new SourceRequest(s.id(), s.source().text(), s.width(), s.height(), s.fps(), config.user(),
                Secrets.value(props, "password", log::warn));
        active = true;
        enabled = new EnabledSwitch(s.enabledKey(), s.enabled(), () -> state, new EnabledSwitch.Target() {
            @Override
            public void switchTo(boolean on) {
                CameraComponent.this.switchTo(on);
            }

            @Override
            public void ignored(String why) {
                // Bad input for the key: said in the log, in gw:status/gw:cameras (reason, last error).
                log.warn("camera {}: {}", id, why);
                stats.error(why);
                Health h = health;
                health = new Health(h.state(), why, h.since());
            }

            @Override
            public void cannotWrite(RuntimeException e) {
                log.warn("camera {}: cannot write {}: {}", id, s.enabledKey(), e.toString());
            }
        });
        enabled.open(context);
    }

    @Deactivate
    void deactivate() {
        active = false;
        if (enabled != null) {
            enabled.close();
        }
        synchronized (this) {
            stopCapture();
        }
    }

    private void fail(String reason) {
        health = Health.of(HealthState.FAILED, reason);
        stats.error(reason);
        log.error("camera {}: {}", id, reason);
    }

    /** Starts or stops capture, as {@code camera/<id>/enabled} says. */
    private synchronized void switchTo(boolean on) {
        if (!active) {
            return;
        }
        if (on && loop == null) {
            startCapture();
        } else if (!on && loop != null) {
            stopCapture();
            health = Health.of(HealthState.STOPPED, "disabled (" + settings.enabledKey() + "=false)");
            log.info("camera {} stopped", id);
        } else if (!on && health.state() != HealthState.STOPPED) {
            health = Health.of(HealthState.STOPPED, "disabled (" + settings.enabledKey() + "=false)");
        }
    }

    private void startCapture() {
        CameraSettings s = settings;
        int gen = ++generation;
        pool = new BufferPool();
        health = Health.of(HealthState.STARTING, "opening " + s.source().shown());
        lastLoggedProblem = null;
        SourceRequest r = request;
        loop = new CaptureLoop(s, () -> FrameSources.choose(s.forSource(), r, providers), pool, stats, codecs, lastSequence,
                new Sink(gen));
        loop.start();
    }

    private void stopCapture() {
        CaptureLoop l = loop;
        if (l == null) {
            return;
        }
        loop = null;
        generation++;
        if (!l.stop(STOP_WAIT_MILLIS)) {
            log.warn("camera {}: capture thread still in a read after {} ms; it releases the source when the "
                    + "read returns", id, 2 * STOP_WAIT_MILLIS);
        }
        lastSequence = l.lastSequence();
        clearLatest();
        pool.close();
        pool = null;
    }

    private void clearLatest() {
        CapturedFrame old = latest.getAndSet(null);
        if (old != null) {
            old.release();
        }
    }

    /** Receives what one capture loop reports; ignores it once that loop has been stopped. */
    private final class Sink implements CaptureLoop.Sink {
        private final int gen;

        Sink(int gen) {
            this.gen = gen;
        }

        private boolean current() {
            return gen == generation;
        }

        @Override
        public void opened(FrameSource src, JpegPlan p) {
            if (!current()) {
                return;
            }
            stats.size(src.width(), src.height());
            plan = p;
            SourceSpec.Kind kind = settings.source().kind();
            String how = src.pace() > 0 ? String.format(Locale.ROOT, " @ %.4g fps", src.pace())
                    : kind == SourceSpec.Kind.DEVICE ? "" : kind == SourceSpec.Kind.PLUGIN ? ", " + src.format()
                    : " free-running";
            CameraSettings s = settings;
            boolean refused = s.width() > 0 && src.width() > 0 && (src.width() != s.width() || src.height() != s.height());
            health = Health.of(HealthState.OPEN, src.width() + "x" + src.height() + how
                    + (refused ? " (asked for " + s.width() + "x" + s.height() + ")" : ""));
            log.info("camera {} {}: {} {}", id, lastLoggedProblem != null ? "open again" : "open",
                    settings.source().shown(), health.reason());
            lastLoggedProblem = null;
        }

        @Override
        public void frame(CapturedFrame frame) {
            if (!current()) {
                frame.release();
                return;
            }
            CapturedFrame old = latest.getAndSet(frame);
            dispatcher.publish(frame);
            if (old != null) {
                old.release();
            }
        }

        @Override
        public void unavailable(String reason, long retryMillis) {
            if (!current()) {
                return;
            }
            clearLatest();
            health = Health.of(HealthState.RECONNECTING, reason + "; retrying in " + retryMillis + " ms");
            if (!reason.equals(lastLoggedProblem)) {
                lastLoggedProblem = reason;
                log.warn("camera {}: {}; reconnecting with back-off", id, reason);
            }
        }

        @Override
        public void waiting(String reason) {
            if (!current()) {
                return;
            }
            clearLatest();
            health = Health.of(HealthState.STARTING, reason);
            if (!reason.equals(lastLoggedProblem)) {
                lastLoggedProblem = reason;
                log.info("camera {}: {}; waiting for it", id, reason);
            }
        }

        @Override
        public void failed(String reason) {
            if (!current()) {
                return;
            }
            clearLatest();
            fail(reason);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Health health() {
        return health;
    }

    /**
     * The newest frame, made fit to keep: a pixel frame gets its JPEG and pixel copy made (once each, shared)
     * before its pooled buffer goes back for reuse; a JPEG frame keeps its bytes anyway (its pixels are
     * decoded only if someone asks).
     */
    @Override
    public Optional<Frame> latest() {
        for (;;) {
            CapturedFrame f = latest.get();
            if (f == null) {
                return Optional.empty();
            }
            if (f.tryRetain()) {
                try {
                    f.keep();
                    return Optional.of(f);
                } finally {
                    f.release();
                }
            }
            // Replaced and recycled between reading the slot and pinning it: take the newer one.
        }
    }

    @Override
    public JpegPath jpegPath() {
        CameraSettings s = settings;
        JpegPlan p = plan;
        if (s == null || p == null) {
            return new JpegPath(JpegPath.Mode.UNKNOWN, "", s == null ? health.reason() : "the source is not open yet");
        }
        if (p.path() == JpegPlan.Path.PASSTHROUGH) {
            return new JpegPath(JpegPath.Mode.PASSTHROUGH, "", p.reason());
        }
        return new JpegPath(JpegPath.Mode.ENCODE, codecs.best().name(), p.reason());
    }

    @Override
    public Frame snapshot() {
        return latest().orElseGet(this::placeholder);
    }

    private Frame placeholder() {
        String opencv = OpenCvNative.ensureLoaded();
        if (opencv != null) {
            throw new IllegalStateException(opencv);
        }
        CameraSettings s = settings;
        CameraStatistics st = stats.snapshot();
        int w = st.width() > 0 ? st.width() : s != null && s.width() > 0 ? s.width() : PatternSource.WIDTH;
        int h = st.height() > 0 ? st.height() : s != null && s.height() > 0 ? s.height() : PatternSource.HEIGHT;
        Health hl = health;
        String why = hl.state().name().toLowerCase(Locale.ROOT) + (hl.reason().isEmpty() ? "" : ": " + hl.reason());
        PlaceholderFrame p = placeholder;
        if (p == null || !p.fits(w, h, why)) {
            p = PlaceholderFrame.render(id, w, h, why, s == null ? 90 : s.quality());
            placeholder = p;
        }
        return p;
    }

    @Override
    public void start() {
        control(true);
    }

    @Override
    public void stop() {
        control(false);
    }

    private void control(boolean on) {
        if (!active) {
            throw new IllegalStateException("camera " + id + " cannot run: " + health.reason());
        }
        enabled.set(on);
    }

    @Override
    public synchronized boolean isRunning() {
        return loop != null;
    }

    @Override
    public CameraStatistics statistics() {
        return stats.snapshot();
    }

    @Override
    public String toString() {
        return "camera " + id + " (" + source + ")";
    }
}
