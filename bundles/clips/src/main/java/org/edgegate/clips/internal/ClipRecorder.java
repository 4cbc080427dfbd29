package org.edgegate.clips.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.edgegate.api.camera.Camera;
import org.edgegate.api.camera.Frame;
import org.edgegate.api.health.Ids;
import org.edgegate.api.health.Metered;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The clips engine, one per gateway: the pre-roll ring of every camera a rule uses, the recent readings and
 * state changes, the rules' edges, the clips being written, retention and the repair of clips a crash cut. Its
 * frame, state and reading listeners are registered only while a rule exists or a clip is written, so a gateway
 * without rules pays nothing. Everything runs under this object's lock; listeners are (un)registered outside it.
 */
@Component(service = { ClipRecorder.class, Metered.class }, immediate = true)
public class ClipRecorder implements Metered {
    static final String MANUAL = "manual";
    static final int MAX_MANUAL_SECONDS = 600;
    private static final long TICK_MS = 250;
    private static final long RETENTION_MS = 60_000;
    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StateService state;

    private final List<Camera> cameras = new CopyOnWriteArrayList<>();

    private final Map<String, RuleState> rules = new LinkedHashMap<>();
    private final Buffers buffers = new Buffers();
    private Recordings recordings;
    private ClipStore store;
    private Listeners listeners;
    private ScheduledExecutorService ticker;
    /** The quarter-second tick, scheduled only while a clip is written: an idle gateway is not woken for it. */
    private ScheduledFuture<?> recordingTicks;
    private long ticks;
    private boolean stopped;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCamera(Camera camera) {
        cameras.add(camera);
    }

    void unbindCamera(Camera camera) {
        cameras.remove(camera);
    }

    @Activate
    void activate(BundleContext context) {
        store = ClipStore.of(context);
        recordings = new Recordings(store, log);
        try {
            List<String> repaired = store.repairAll(Set.of());
            synchronized (this) {
                recordings.counters().repaired += repaired.size();
            }
            if (!repaired.isEmpty()) {
                log.warn("clips cut short by a stop or a crash made whole (last whole frame, index added): {}", repaired);
            }
        } catch (IOException | RuntimeException e) {
            log.error("clips: cannot repair the clips in {}: {}", store.root(), e.toString());
        }
        listeners = new Listeners(context, this);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgegate-clips");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(neverDies(this::retainAll), RETENTION_MS, RETENTION_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        listeners.update(false, null, Set.of());
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            stopped = true;
            recordings.finishAll(); // a stopping gateway leaves complete files where it can
            buffers.clear();
        }
    }

    ClipStore store() {
        return store;
    }

    /** Adds a rule; an error message when its id is taken. */
    String add(RuleState rule) {
        String id = rule.settings().id();
        synchronized (this) {
            if (rules.containsKey(id) || id.equals(MANUAL)) {
                return "id '" + id + "' is already used by another clip rule" + (id.equals(MANUAL) ? " (manual clips)" : "");
            }
            StateService s = state;
            for (String key : rule.settings().when().keys()) {
                StateEntry e = s == null ? null : s.get(key).orElse(null);
                rule.initial(key, e == null ? null : e.value());
            }
            rules.put(id, rule);
            resize();
        }
        refreshListeners();
        return null;
    }

    void remove(RuleState rule) {
        synchronized (this) {
            if (rules.get(rule.settings().id()) != rule) {
                return;
            }
            rules.remove(rule.settings().id());
            Clip c = rule.clip;
            if (recordings.writing(c) && c.stopAt() == Long.MAX_VALUE) {
                c.stopAt(System.currentTimeMillis() + rule.settings().after() * 1000L); // the clip ends as it would have
            }
            resize();
            keepCounters();
        }
        refreshListeners();
    }

    /** Counters only for rules configured or writing (and manual clips): the labels in /metrics stay bounded. */
    private void keepCounters() {
        Set<String> keep = new TreeSet<>(rules.keySet());
        keep.add(MANUAL);
        recordings.keepCounters(keep);
    }

    private void resize() {
        List<RuleSettings> now = new ArrayList<>();
        for (RuleState r : rules.values()) {
            now.add(r.settings());
        }
        buffers.resize(now);
    }

    /** Which cameras the rings need: null for every camera. */
    private synchronized Set<String> bufferedCameras() {
        Set<String> wanted = new TreeSet<>();
        for (RuleState r : rules.values()) {
            if (r.settings().cameras().isEmpty()) {
                return null;
            }
            wanted.addAll(r.settings().cameras());
        }
        return wanted;
    }

    private void refreshListeners() {
        boolean needed;
        Set<String> recording;
        synchronized (this) {
            needed = !stopped && (!rules.isEmpty() || !recordings.isEmpty());
            recording = new TreeSet<>(recordings.cameras());
        }
        listeners.update(needed, needed ? bufferedCameras() : null, recording);
    }

    /** On the camera's capture thread: a copy of the JPEG into the camera's ring, under the rings' lock only. */
    void buffer(Frame frame) {
        if (!frame.isPlaceholder()) {
            buffers.add(frame.cameraId(), frame.sequence(), frame.time().toEpochMilli(), frame.width(), frame.height(),
                    frame.jpeg()); // the bytes every consumer shares, never changed; taken inside the call
        }
    }

    /** On a delivery thread, while clips are written: the frame into the clips recording its camera. */
    void frameReceived(Frame frame) {
        if (frame.isPlaceholder()) {
            return;
        }
        byte[] jpeg = frame.jpeg();
        long time = frame.time().toEpochMilli();
        synchronized (this) {
            recordings.frame(frame.cameraId(), frame.sequence(), time, frame.width(), frame.height(), jpeg, buffers);
        }
    }

    void stateChanged(StateChange change) {
        Object value = change.isRemoval() ? null : change.entry().value();
        List<RuleState> rising = new ArrayList<>();
        synchronized (this) {
            recordings.event(buffers.history().add(change.timestamp(), change));
            for (RuleState r : rules.values()) {
                if (!r.reads(change.key())) {
                    continue;
                }
                RuleState.Edge edge = r.update(change.key(), value);
                boolean writing = recordings.writing(r.clip);
                if (edge == RuleState.Edge.RISE) {
                    if (writing) {
                        r.clip.stopAt(Long.MAX_VALUE); // true again: the clip goes on
                    } else if (r.coolingDown(change.timestamp())) {
                        r.suppressed++;
                    } else {
                        rising.add(r);
                    }
                } else if (edge == RuleState.Edge.FALL && writing) {
                    r.clip.stopAt(change.timestamp() + r.settings().after() * 1000L);
                }
            }
            for (RuleState r : rising) {
                RuleSettings s = r.settings();
                Clip c = stopped ? null : recordings.start(s.id(), s.when().text(), r.snapshot(), change.timestamp(),
                        s.before(), s.after(), s.cameras().isEmpty() ? cameraIds() : s.cameras(), Long.MAX_VALUE, buffers);
                if (c != null) {
                    tickWhileRecording();
                    r.started(c, change.timestamp());
                    log.info("clip {} started: {} ({})", c.id(), s.when().text(), r.snapshot());
                } else {
                    r.lastError = recordings.counters().lastError;
                }
            }
        }
        if (!rising.isEmpty()) {
            refreshListeners();
        }
    }

    void readingReceived(Reading reading) {
        synchronized (this) {
            recordings.event(buffers.history().add(reading.time().toEpochMilli(), reading));
        }
    }

    List<String> cameraIds() {
        Set<String> ids = new TreeSet<>();
        for (Camera c : cameras) {
            ids.add(c.id());
        }
        return new ArrayList<>(ids);
    }

    /** A manual clip of {@code which} (empty: every camera) for {@code seconds} from now, with the pre-roll. */
    String record(List<String> which, int seconds) {
        if (seconds < 1 || seconds > MAX_MANUAL_SECONDS) {
            throw new IllegalArgumentException("seconds must be 1 to " + MAX_MANUAL_SECONDS + ", not " + seconds);
        }
        List<String> known = cameraIds();
        if (which.isEmpty() && known.isEmpty()) {
            throw new IllegalArgumentException("no camera to record");
        }
        which = which.isEmpty() ? known : which;
        for (String c : which) {
            Ids.check("camera", c);
            if (!known.contains(c)) {
                throw new IllegalArgumentException("no camera '" + c + "' (cameras: " + String.join(", ", known) + ")");
            }
        }
        long now = System.currentTimeMillis();
        Clip c;
        synchronized (this) {
            int before = buffers.seconds(which);
            c = stopped ? null : recordings.start(MANUAL, "manual: gw:clips record", Map.of(), now, before, 0, which,
                    now + seconds * 1000L, buffers);
            if (c == null) {
                throw new IllegalStateException("cannot write the clip: " + recordings.counters().lastError);
            }
            tickWhileRecording();
        }
        refreshListeners();
        return c.id();
    }

    /** With this held, after a clip started. */
    private void tickWhileRecording() {
        if (recordingTicks == null && !stopped) {
            try {
                recordingTicks = ticker.scheduleWithFixedDelay(neverDies(this::tick), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // deactivating: the ticker is shut down and finishAll() ends the clip
            }
        }
    }

    /**
     * Every quarter second while clips are written: ends those past their stop time (then retention of their
     * rules), every second patches the others' headers; stops itself when none is left.
     */
    private void tick() {
        boolean ended;
        synchronized (this) {
            long now = System.currentTimeMillis();
            ticks++;
            Set<String> ruleDirs = recordings.tick(now, ticks % 4 == 0);
            ended = !ruleDirs.isEmpty();
            if (ended) {
                keepCounters();
            }
            for (String rule : ruleDirs) {
                retain(rule, now);
            }
            if (recordings.isEmpty() && recordingTicks != null) {
                recordingTicks.cancel(false);
                recordingTicks = null;
            }
        }
        if (ended) {
            refreshListeners();
        }
    }

    /** Every minute: retention of every rule's clips and the manual ones (days pass without a clip ending). */
    private synchronized void retainAll() {
        long now = System.currentTimeMillis();
        Set<String> ruleDirs = new TreeSet<>(rules.keySet());
        ruleDirs.add(MANUAL);
        for (String rule : ruleDirs) {
            retain(rule, now);
        }
    }

    /** A task for the ticker that logs its failure: a scheduled task that throws is never run again. */
    private Runnable neverDies(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("clips: {}", e.toString());
            }
        };
    }

    private void retain(String rule, long now) {
        RuleState r = rules.get(rule);
        long maxBytes = r == null ? 1024L << 20 : r.settings().retainBytes();
        int days = r == null ? 0 : r.settings().retainDays();
        try {
            int n = store.retain(rule, maxBytes, days, now, recordings.ids());
            if (n > 0) {
                recordings.counters().removed += n;
                recordings.counters(rule).removed += n;
                log.info("clips: retention removed {} clip(s) of {}", n, rule);
            }
        } catch (IOException e) {
            recordings.error("retention of " + rule + " failed: " + e);
        }
    }

    /** Runs retention for a rule now (a rule that just started). */
    void retainNow(String rule) {
        synchronized (this) {
            retain(rule, System.currentTimeMillis());
        }
    }

    /** A rule's health reason: its condition now, its clips. */
    synchronized String summary(RuleState r) {
        return r.summary(recordings.writing(r.clip));
    }

    /** Who hears of finished clips ({@link ClipEvents}); null: nobody. */
    void onComplete(java.util.function.Consumer<Manifest> listener) {
        recordings.completed = listener;
    }

    @Override
    public void metrics(Samples out) {
        ClipMetrics.Snapshot s;
        synchronized (this) {
            Map<String, Counters> per = recordings.perRule();
            Map<String, Long> suppressed = new LinkedHashMap<>();
            for (RuleState r : rules.values()) {
                per.putIfAbsent(r.settings().id(), new Counters()); // a configured rule shows its zeros
                suppressed.put(r.settings().id(), r.suppressed);
            }
            s = new ClipMetrics.Snapshot(per, suppressed, buffers.stats());
        }
        ClipMetrics.write(out, s); // outside the lock: the frames wait for nothing of the scrape's
    }

    synchronized Counters counters() {
        return recordings.counters().copy();
    }

    /** One line per camera ring: id, frames, MiB, span. */
    synchronized List<String> ringLines() {
        return buffers.lines();
    }

    synchronized Set<String> activeClips() {
        return recordings.ids();
    }
}
