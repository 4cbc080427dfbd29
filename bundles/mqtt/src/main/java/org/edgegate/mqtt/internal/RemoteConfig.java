package org.edgegate.mqtt.internal;

import org.edgegate.config.GatewayPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Ids;
import org.edgegate.kernel.Threads;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.log.Logger;
import org.osgi.service.metatype.ObjectClassDefinition;

import com.google.gson.GsonBuilder;

/**
 * Remote configuration over the broker ({@code remote.config = true}, docs/fleet.md). Requests on
 * {@code <prefix>/config/<pid>/set|delete} are read bounded on the client's thread ({@link ConfigRequest}) and
 * queued (at most {@value #MAX_PENDING}); one thread of its own applies them: only PIDs under
 * {@code remote.config.allow}, typed by the configuration's Metatype before anything changes, applied through
 * Configuration Admin ({@code bundles/etc} writes {@code etc/} back), then the component's own check: if it
 * reports FAILED the previous configuration is put back. Every request is answered on {@code …/result} with its
 * correlation id; every change is logged with its origin and counted; the current configuration of each allowed
 * PID is retained under {@code <prefix>/config/<pid>} with secrets masked. The same thread refreshes
 * {@code <prefix>/info} every minute.
 */
final class RemoteConfig implements ConfigurationListener {
    private static final int MAX_PENDING = 32;
    private static final int MAX_CONFIGS = 500;
    private static final long INFO_MILLIS = 60_000;
    private static final long HEALTH_WAIT_MILLIS = 10_000;
    /** How long a restored configuration is watched: two and a half of File Install's polls. */
    private static final long RESTORE_WATCH_NANOS = 2_500_000_000L;
    static final String MASK = "********";

    private final BundleContext context;
    private final MqttSettings settings;
    private final Topics topics;
    private final Logger log;
    private final Supplier<Bridge> bridge;
    private final Supplier<ConfigurationAdmin> admin;
    private final ConfigTypes types;
    private final ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(MAX_PENDING);
    final AtomicLong changes = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    volatile String lastRefusal = "";
    private volatile long lastRefusalLog;
    private volatile boolean running;
    private Thread thread;
    private ServiceRegistration<ConfigurationListener> registration;

    RemoteConfig(BundleContext context, MqttSettings settings, Logger log, Supplier<Bridge> bridge,
            Supplier<ConfigurationAdmin> admin, ConfigTypes types) {
        this.context = context;
        this.settings = settings;
        this.topics = new Topics(settings.prefix());
        this.log = log;
        this.bridge = bridge;
        this.admin = admin;
        this.types = types;
    }

    void start() {
        running = true;
        Thread t = new Thread(this::run, "edgegate-mqtt-" + settings.id() + "-config");
        t.setDaemon(true);
        thread = t;
        t.start();
        registration = context.registerService(ConfigurationListener.class, this, null);
    }

    void stop() {
        running = false;
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            Threads.join(t, 5_000);
        }
    }

    private void run() {
        // the connect publishes the first, often while the gateway still starts: again soon, then every minute
        long nextInfo = System.currentTimeMillis() + 10_000;
        while (running) {
            try {
                Runnable r = queue.poll(Math.max(1, nextInfo - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
                if (System.currentTimeMillis() >= nextInfo) {
                    nextInfo = System.currentTimeMillis() + INFO_MILLIS;
                    Bridge b = bridge.get();
                    if (b != null) {
                        b.offerLatest(topics.info(), info(), 1, true);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("mqtt {}: remote configuration: {}", settings.id(), e.toString());
            }
        }
    }

    byte[] info() {
        return FleetInfo.json(context, settings.gateway(), GatewayPaths.hostName());
    }

    /**
     * A message on a remote configuration topic (the client's thread): read bounded and queued. False when the topic
     * is not one.
     */
    boolean offer(String topic, byte[] payload) {
        boolean delete = topic.endsWith("/delete");
        String target = topics.configTarget(topic, delete ? "delete" : "set");
        if (target == null) {
            return false;
        }
        String origin = "topic " + Ids.quote(topic);
        PidAlias alias;
        try {
            alias = PidAlias.parse(target);
        } catch (IllegalArgumentException e) { // no result topic for a name that is neither: nothing to answer on
            refuse(null, "", e.getMessage(), origin);
            return true;
        }
        if (alias == null && !PidAlias.isPid(target)) {
            refuse(null, "", "'" + Ids.quote(target) + "' is not a PID (org.edgegate.serial.sensor~th) nor "
                    + "sensor/<id>, camera/<id>", origin);
            return true;
        }
        Target named = new Target(target, alias == null ? target : null);
        ConfigRequest request;
        try {
            request = ConfigRequest.parse(payload, delete);
        } catch (ConfigRequest.Refused e) {
            refuse(named, e.correlation, e.getMessage(), origin);
            return true;
        }
        if (!queue.offer(() -> apply(named, alias, delete, request, origin))) {
            refuse(named, request.correlation(), "busy: " + MAX_PENDING + " requests are waiting; send it again later",
                    origin);
        }
        return true;
    }

    /**
     * What a request is about: as its topic names it (a PID or an alias, where the answer goes) and the PID it
     * stands for (null while an alias is not resolved yet).
     */
    private record Target(String named, String pid) {
        String shown() {
            return pid == null || pid.equals(named) ? named : named + " (" + pid + ")";
        }
    }

    private void apply(Target named, PidAlias alias, boolean delete, ConfigRequest request, String origin) {
        String correlation = request.correlation();
        ConfigurationAdmin cm = admin.get();
        if (cm == null) {
            refuse(named, correlation, "Configuration Admin is not running", origin);
            return;
        }
        Target t = named;
        try {
            t = alias == null ? named : new Target(named.named(), ConfigAccess.resolve(cm, alias));
            String pid = t.pid();
            if (!settings.remoteConfigAllowed(pid)) {
                refuse(t, correlation, pid + " is not under remote.config.allow " + settings.remoteConfigAllow(), origin);
                return;
            }
            Configuration existing = ConfigAccess.find(cm, pid);
            if (delete) {
                if (existing == null) {
                    refuse(t, correlation, "there is no configuration " + t.shown(), origin);
                    return;
                }
                existing.delete();
                changed(t, correlation, "deleted", origin, List.of(), null);
                return;
            }
            ObjectClassDefinition ocd = types.of(pid);
            if (ocd == null) {
                refuse(t, correlation, "no configuration type (Metatype) for " + pid + " on this gateway", origin);
                return;
            }
            String problem = ConfigTypes.check(ocd, request.properties());
            if (problem != null) {
                refuse(t, correlation, problem, origin);
                return;
            }
            Dictionary<String, Object> old = existing == null ? null : existing.getProperties();
            Map<String, Object> next = request.merge(old);
            if (alias != null) { // sensor/th is the sensor whose id is th: a new one gets that id, none is renamed
                Object id = next.putIfAbsent("id", alias.id());
                if (id != null && !alias.id().equals(id.toString().strip())) {
                    refuse(t, correlation, "id: " + alias + " names the one with id " + alias.id() + ", not '"
                            + Ids.quote(id.toString()) + "' (to rename it, use its PID " + pid + ")", origin);
                    return;
                }
            }
            if (old != null && ConfigRequest.own(ConfigRequest.toMap(old)).equals(ConfigRequest.own(next))) {
                answer(t, correlation, true, "unchanged", "", null);
                return;
            }
            Configuration target = existing != null ? existing : ConfigAccess.create(cm, pid);
            Health health;
            try (HealthWatch watch = new HealthWatch(context, pid)) {
                target.update(new Hashtable<>(next));
                health = watch.await(HEALTH_WAIT_MILLIS);
            }
            if (health != null && health.state() == HealthState.FAILED) {
                if (old == null) {
                    target.delete();
                } else {
                    restore(target, ConfigRequest.restorable(old));
                }
                refuse(t, correlation, "the component refused it: " + health.reason()
                        + (old == null ? " (not created)" : " (the previous configuration is back)"), origin);
                return;
            }
            changed(t, correlation, old == null ? "created" : "updated", origin,
                    new ArrayList<>(request.properties().keySet()), health);
        } catch (IOException | IllegalStateException | InvalidSyntaxException e) {
            refuse(t, correlation, "Configuration Admin: " + e.getMessage(), origin);
        }
    }

    /**
     * Puts a configuration back and keeps it there: File Install, polling etc/ every second, may have read the
     * refused version's file (written back by bundles/etc) just before and apply it after this update.
     */
    private void restore(Configuration target, Map<String, Object> restored) throws IOException {
        target.update(new Hashtable<>(restored));
        long until = System.nanoTime() + RESTORE_WATCH_NANOS;
        while (System.nanoTime() < until && running) {
            try {
                Thread.sleep(250); // File Install's poll, not an event we could wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Dictionary<String, Object> now = target.getProperties();
            if (now != null && !ConfigRequest.own(ConfigRequest.toMap(now)).equals(ConfigRequest.own(restored))) {
                log.info("mqtt {}: {} changed back to the refused version from its etc/ file; restoring again",
                        settings.id(), target.getPid());
                target.update(new Hashtable<>(restored));
            }
        }
    }

    // ---- what goes out ----

    private void changed(Target t, String correlation, String action, String origin, List<String> keys,
            Health health) {
        changes.incrementAndGet();
        log.info("mqtt {}: remote configuration {} {} (origin {}, correlation '{}', keys {}); {} changes so far",
                settings.id(), action, t.shown(), origin, correlation, keys, changes.get());
        answer(t, correlation, true, action, "", health);
        republish(t.pid());
    }

    /** Counts, logs (at most a line a second) and answers a refusal; {@code t} null: no topic to answer on. */
    private void refuse(Target t, String correlation, String why, String origin) {
        refused.incrementAndGet();
        lastRefusal = (t == null ? "" : t.shown() + ": ") + why;
        long now = System.nanoTime();
        if (now - lastRefusalLog > 1_000_000_000L) { // at most one line a second: a flood cannot fill the log
            lastRefusalLog = now;
            log.warn("mqtt {}: remote configuration refused (origin {}, correlation '{}'; {} refused so far): {}",
                    settings.id(), origin, Ids.quote(correlation), refused.get(), lastRefusal);
        }
        if (t != null) {
            answer(t, correlation, false, "refused", why, null);
        }
    }

    /** Answered where it was asked: {@code <prefix>/config/<pid or alias>/result}, with the PID in the JSON. */
    private void answer(Target t, String correlation, boolean ok, String action, String error, Health health) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("correlation", correlation);
        m.put("gateway", settings.gateway());
        m.put("pid", t.pid() == null ? t.named() : t.pid());
        m.put("ok", ok);
        m.put("action", action);
        if (!error.isEmpty()) {
            m.put("error", error);
        }
        if (health != null) {
            m.put("health", health.state().name());
        }
        Bridge b = bridge.get();
        if (b != null) {
            b.offerHistory(topics.configResult(t.named()), json(m));
        }
    }

    private void republish(String pid) {
        Bridge b = bridge.get();
        ConfigurationAdmin cm = admin.get();
        if (b == null || cm == null) {
            return;
        }
        try {
            Configuration c = ConfigAccess.find(cm, pid);
            Dictionary<String, Object> p = c == null ? null : c.getProperties();
            b.offerLatest(topics.config(pid), p == null ? Payloads.EMPTY : masked(pid, p), 1, true);
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.debug("mqtt {}: {} not republished: {}", settings.id(), pid, e.toString());
        }
    }

    /** Every allowed configuration, retained (on each connect). */
    List<Outbound> retained() {
        List<Outbound> out = new ArrayList<>();
        out.add(Outbound.latest(topics.info(), info(), 1, true));
        ConfigurationAdmin cm = admin.get();
        if (cm == null) {
            return out;
        }
        try {
            Configuration[] all = cm.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> p = c.getProperties();
                if (p != null && settings.remoteConfigAllowed(c.getPid()) && out.size() <= MAX_CONFIGS) {
                    out.add(Outbound.latest(topics.config(c.getPid()), masked(c.getPid(), p), 1, true));
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.warn("mqtt {}: listing configurations failed: {}", settings.id(), e.toString());
        }
        return out;
    }

    private byte[] masked(String pid, Dictionary<String, Object> p) {
        ObjectClassDefinition ocd = types.of(pid);
        Map<String, Object> props = new java.util.TreeMap<>();
        for (String k : Collections.list(p.keys())) {
            if (!ConfigRequest.ADMIN.contains(k)) {
                Object v = p.get(k);
                props.put(k, ConfigTypes.secret(ocd, k) && !ConfigRequest.text(v).isEmpty() ? MASK
                        : v instanceof Object[] || v.getClass().isArray() ? ConfigRequest.text(v) : v);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("properties", props);
        return json(m);
    }

    private static byte[] json(Map<String, Object> m) {
        return new GsonBuilder().disableHtmlEscaping().create().toJson(m).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (running && pid != null && settings.remoteConfigAllowed(pid)) {
            queue.offer(() -> republish(pid)); // full: the next connect publishes it anyway
        }
    }
}
