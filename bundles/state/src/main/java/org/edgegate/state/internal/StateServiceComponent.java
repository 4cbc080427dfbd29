package org.edgegate.state.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.edgegate.api.delivery.Delivery;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.edgegate.api.state.CasResult;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.edgegate.api.state.StateListener;
import org.edgegate.api.state.StateValidator;
import org.edgegate.api.state.StateService;
import org.edgegate.kernel.ServiceProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The shared-state service: a {@link StateStore} within its {@link StateLimits}, listeners fed by a
 * {@link ListenerDispatcher}, and a {@link SnapshotFile} written after changes as its {@link SnapshotPolicy}
 * says and when the component stops. Its health (kind {@code state}, id {@code shared}) shows the usage of the limits.
 */
@Component(service = {StateService.class, Monitored.class}, immediate = true, configurationPid = StateServiceComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StateConfig.class)
public class StateServiceComponent implements StateService, Monitored {
    static final String PID = "org.edgegate.state";
    static final String DATA_PROPERTY = "edgegate.data";
    static final long DEFAULT_SNAPSHOT_DELAY = 1000;
    static final long DEFAULT_SNAPSHOT_INTERVAL = 30_000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private ThreadPoolExecutor listenerExecutor;
    private ScheduledExecutorService snapshotExecutor;
    // SCR binds listeners before activate: the dispatcher exists from construction, its executor
    // from activation, which is before any write can reach it (the service is not registered yet)
    // a listener that throws is an error; one moved off the writer's thread (found slow) only a warning
    private final ListenerDispatcher dispatcher = new ListenerDispatcher(task -> listenerExecutor.execute(task),
            (msg, e) -> {
                if (e == null) {
                    log.warn(msg);
                } else {
                    log.error(msg, e);
                }
            });
    private final Validators validators = new Validators();
    private StateStore store;
    private SnapshotFile snapshot;
    private SnapshotPolicy snapshotPolicy;
    private volatile long lastSnapshotNanos;
    private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
    private final Object snapshotLock = new Object();
    private final Instant since = Instant.now();

    private volatile String configProblem;

    @Activate
    void activate(BundleContext context, StateConfig config, Map<String, Object> properties) {
        listenerExecutor = new ThreadPoolExecutor(config.listenerThreads(), config.listenerThreads(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("edgegate-state-listener"));
        listenerExecutor.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor snapshots = new ScheduledThreadPoolExecutor(1, named("edgegate-state-snapshot"));
        // deactivate saves once itself: a write waiting for its delay is dropped, not run late
        snapshots.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        snapshotExecutor = snapshots;
        store = new StateStore(System::currentTimeMillis, this::changed, validators, limits(config, properties));
        snapshotPolicy = snapshotPolicy(config);
        lastSnapshotNanos = snapshotPolicy.longAgo(System.nanoTime());
        snapshot = new SnapshotFile(snapshotPath(context, config));
        restore();
    }

    /** Bad limits never stop the state (everything depends on it): the defaults apply and health says so. */
    private StateLimits limits(StateConfig config, Map<String, Object> properties) {
        try {
            StateLimits l = StateLimits.of(config, properties);
            configProblem = null;
            return l;
        } catch (IllegalArgumentException e) {
            configProblem = e.getMessage();
            log.error("State limits not applied ({}); the defaults are in force: {}", e.getMessage(),
                    StateLimits.DEFAULTS);
            return StateLimits.DEFAULTS;
        }
    }

    private SnapshotPolicy snapshotPolicy(StateConfig config) {
        try {
            return new SnapshotPolicy(config.snapshotDelay(), config.snapshotInterval());
        } catch (IllegalArgumentException e) {
            SnapshotPolicy defaults = new SnapshotPolicy(DEFAULT_SNAPSHOT_DELAY, DEFAULT_SNAPSHOT_INTERVAL);
            log.error("State snapshot times not applied ({}); the defaults are in force: {}", e.getMessage(), defaults);
            return defaults;
        }
    }

    @Override
    public String kind() {
        return "state";
    }

    @Override
    public String id() {
        return "shared";
    }

    /** OPEN with the usage; {@code warning: } in the reason when a limit is near or the limits were refused. */
    @Override
    public Health health() {
        String usage = store.limits().usage(store.size(), store.bytes());
        long refused = store.refusals();
        String refusals = refused == 0 ? "" : "; " + refused + " writes refused by a limit";
        if (configProblem != null) {
            return new Health(HealthState.OPEN, "warning: configuration refused (" + configProblem
                    + "), default limits in force; " + usage + refusals, since);
        }
        return new Health(HealthState.OPEN, usage + refusals, since);
    }

    private void restore() {
        try {
            List<StateEntry> restored = snapshot.read();
            store.restore(restored);
            log.info("State restored from {}: {} entries", snapshot.path(), restored.size());
        } catch (IOException | RuntimeException e) {
            try {
                Path aside = snapshot.keepAside();
                log.error("State snapshot {} is corrupt ({}); kept it as {} and started with an empty state",
                        snapshot.path(), e.getMessage(), aside);
            } catch (IOException moveFailed) {
                log.error("State snapshot {} is corrupt ({}) and could not be moved aside ({}); "
                        + "started with an empty state", snapshot.path(), e.getMessage(), moveFailed.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() {
        // never interrupt a write in progress: an interrupted FileChannel closes under it and the save
        // fails; let it end (saveNow's lock orders it before the last save), then save what is newest
        snapshotExecutor.shutdown();
        saveNow();
        listenerExecutor.shutdownNow();
        try {
            snapshotExecutor.awaitTermination(5, TimeUnit.SECONDS);
            listenerExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(StateListener listener, Map<String, Object> properties) {
        dispatcher.add(listener, prefixes(properties.get(StateListener.PREFIX)), Delivery.isDirect(properties));
    }

    void removeListener(StateListener listener) {
        dispatcher.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addValidator(StateValidator validator, Map<String, Object> properties) {
        validators.add(validator, prefixes(properties.get(StateValidator.PREFIX)));
    }

    void removeValidator(StateValidator validator) {
        validators.remove(validator);
    }

    @Override
    public Optional<StateEntry> get(String key) {
        return store.get(key);
    }

    @Override
    public StateEntry put(String key, Object value) {
        return store.put(key, value);
    }

    @Override
    public CasResult compareAndSet(String key, long expectedVersion, Object value) {
        return store.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public Optional<StateEntry> compute(String key, UnaryOperator<Object> remap) {
        return store.compute(key, remap);
    }

    @Override
    public Optional<StateEntry> remove(String key) {
        return store.remove(key);
    }

    @Override
    public List<StateEntry> snapshot(String prefix) {
        return store.snapshot(prefix);
    }

    private void changed(StateChange change) {
        dispatcher.dispatch(change);
        scheduleSnapshot();
    }

    /** Runs inside a writer's compute: only flips a flag, never waits for the disk. */
    private void scheduleSnapshot() {
        if (snapshotScheduled.compareAndSet(false, true)) {
            try {
                snapshotExecutor.schedule(() -> {
                    snapshotScheduled.set(false);
                    lastSnapshotNanos = System.nanoTime();
                    saveNow();
                }, snapshotPolicy.waitNanos(System.nanoTime(), lastSnapshotNanos), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivate saves once more after the executor stopped
            }
        }
    }

    private void saveNow() {
        synchronized (snapshotLock) {
            try {
                snapshot.write(store.snapshot(""));
            } catch (IOException | RuntimeException e) {
                log.error("Could not write the state snapshot to {}: {}", snapshot.path(), e.toString());
            }
        }
    }

    private static Path snapshotPath(BundleContext context, StateConfig config) {
        if (!config.snapshotFile().isBlank()) {
            return Path.of(config.snapshotFile());
        }
        String data = context.getProperty(DATA_PROPERTY);
        if (data != null && !data.isBlank()) {
            return Path.of(data, "state", "state.snapshot");
        }
        return context.getDataFile("state.snapshot").toPath();
    }

    static List<String> prefixes(Object property) {
        return ServiceProperties.strings(property); // "" is a prefix of every key, as no prefix is
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
