package org.edgegate.modbus.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.sensor.SensorStatistics;
import org.edgegate.kernel.Meter;

/**
 * One configured device on its bus: the requests of its poll, its readings and its counters. The bus
 * owner's thread polls it and records what happened; any thread reads the figures.
 */
final class Device {
    /** What went wrong, counted apart. */
    enum Fault { TIMEOUT, FRAME, EXCEPTION, WRITE }

    private final DeviceSettings settings;
    private final List<Request> plan;
    private final Consumer<Reading> output;
    private final Meter polls = new Meter();
    private final long[] faults = new long[Fault.values().length];

    /** When the next poll is due (System.nanoTime), kept by the bus thread. */
    long due;

    private volatile long answered;
    private volatile long bytes;
    private volatile long sequence;
    private volatile long failedPolls;
    private volatile long writes;
    private volatile String lastFault = "";
    private volatile Instant lastFaultTime;
    private volatile Instant lastSeen;
    private volatile Reading lastReading;
    private volatile String lastWrite = "";
    private volatile Health health = Health.of(HealthState.STARTING, "");

    Device(DeviceSettings settings, Consumer<Reading> output) {
        this.settings = settings;
        this.plan = Request.plan(settings.registers());
        this.output = output;
    }

    DeviceSettings settings() {
        return settings;
    }

    String id() {
        return settings.id();
    }

    List<Request> plan() {
        return plan;
    }

    Optional<Register> register(String name) {
        return settings.registers().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    // ---- what the bus reports (its thread) ----

    void received(int n) {
        bytes += n;
    }

    synchronized void fault(Fault kind, String reason) {
        faults[kind.ordinal()]++;
        lastFault = kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
        lastFaultTime = Instant.now();
    }

    /**
     * A poll ended: {@code values} read (in map order; empty when nothing answered); {@code problem} names
     * what failed, null when every request was answered.
     */
    void polled(Map<String, Object> values, Map<String, String> units, String problem, boolean configProblem,
            String raw) {
        polls.mark();
        if (!values.isEmpty()) {
            answered++;
            Instant now = Instant.now();
            lastSeen = now;
            Reading r = new Reading(settings.id(), ++sequence, now, values, units, raw);
            lastReading = r;
            output.accept(r);
        }
        if (problem == null) {
            health = Health.of(HealthState.OPEN, "");
        } else {
            failedPolls++;
            HealthState state = configProblem ? HealthState.FAILED : HealthState.RECONNECTING;
            Health h = health;
            health = h.state() == state && h.reason().equals(problem) ? h : Health.of(state, problem);
        }
    }

    void wrote(String what) {
        writes++;
        lastWrite = what;
    }

    // ---- figures (any thread) ----

    Health health() {
        return health;
    }

    synchronized long faults(Fault kind) {
        return faults[kind.ordinal()];
    }

    synchronized long faultsTotal() {
        long sum = 0;
        for (long f : faults) {
            sum += f;
        }
        return sum;
    }

    long polls() {
        return polls.count();
    }

    long answered() {
        return answered;
    }

    long failedPolls() {
        return failedPolls;
    }

    long writes() {
        return writes;
    }

    String lastFault() {
        return lastFault;
    }

    Instant lastFaultTime() {
        return lastFaultTime;
    }

    String lastWrite() {
        return lastWrite;
    }

    double pollsPerSecond() {
        return polls.perSecond();
    }

    Optional<Reading> lastReading() {
        return Optional.ofNullable(lastReading);
    }

    /**
     * As a sensor's statistics: lines are answered polls, parse errors are faults (timeouts, damaged frames,
     * Modbus exceptions, failed writes), the rate is polls per second.
     */
    SensorStatistics statistics(long reconnects) {
        Reading r = lastReading;
        return new SensorStatistics(answered, bytes, faultsTotal(), 0, reconnects, r == null ? null : r.raw(),
                lastFault.isEmpty() ? null : lastFault, lastSeen, polls.perSecond());
    }

    /** The values in map order, for a reading. */
    static Map<String, Object> ordered() {
        return new LinkedHashMap<>();
    }
}
