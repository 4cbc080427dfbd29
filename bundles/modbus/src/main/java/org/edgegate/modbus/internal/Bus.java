package org.edgegate.modbus.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.edgegate.api.health.HealthState;
import org.edgegate.api.sensor.PortConnection;
import org.edgegate.api.sensor.PortProvider;
import org.edgegate.kernel.Backoff;
import org.edgegate.kernel.Connector;
import org.edgegate.kernel.ConnectorLog;
import org.edgegate.modbus.internal.Device.Fault;
import org.edgegate.modbus.internal.Pdu.FrameException;
import org.edgegate.modbus.internal.Pdu.ModbusException;

/**
 * The one owner of a bus (a port): its thread opens the port, then sends one request at a time to the
 * devices on it, each poll when it is due, writes between polls, keeping the RTU silence between frames.
 * A second thread only copies what the port receives into {@link Incoming}. Devices come and go while
 * the port stays open; the kernel reopens a lost port with back-off.
 */
final class Bus extends Connector {
    static final long STOP_GRACE_MS = 3000;
    /** How long a write waits for its turn and answers before the caller gives up on it. */
    static final long WRITE_WAIT_MS = 30_000;
    private static final int MAX_PENDING_WRITES = 64;
    private static final int MAX_RAW = 512;

    private final DeviceSettings.Line line;
    private final Function<String, PortProvider> providers;
    private final Framing framing;
    private final List<Device> devices = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

    private volatile PortConnection connection;
    private volatile Incoming incoming;
    private volatile Thread reader;
    private volatile boolean reading;
    private volatile long requests;
    private long quietSince;

    /** A write asked for, answered when done (the read-back value) or failed (why). */
    record Write(Device device, Register register, Object value, CompletableFuture<String> result) {
    }

    Bus(DeviceSettings.Line line, long reconnectMin, long reconnectMax, Function<String, PortProvider> providers,
            ConnectorLog log) {
        super("edgegate-modbus-" + line.key().replaceAll("[^A-Za-z0-9._-]", "_"), "modbus bus " + line.describe(),
                new Backoff(reconnectMin, reconnectMax), log);
        this.line = line;
        this.providers = providers;
        this.framing = line.tcp() ? new Framing.Tcp() : new Framing.Rtu();
    }

    DeviceSettings.Line line() {
        return line;
    }

    List<Device> devices() {
        return List.copyOf(devices);
    }

    /** Requests sent since the bus was created (every attempt). */
    long requests() {
        return requests;
    }

    /** Adds a device; its first poll goes into the widest gap between the others' next polls. */
    void attach(Device d) {
        long now = System.nanoTime();
        long period = d.settings().pollMs() * 1_000_000L;
        List<Long> phases = new ArrayList<>();
        for (Device other : devices) {
            phases.add(Math.floorMod(other.due - now, period));
        }
        d.due = now + widestGapMiddle(phases, period);
        devices.add(d);
        kick();
    }

    /** The middle of the widest gap between points on a circle of {@code period}; 0 when there are none. */
    static long widestGapMiddle(List<Long> points, long period) {
        if (points.isEmpty()) {
            return 0;
        }
        List<Long> p = new ArrayList<>(points);
        p.sort(null);
        long best = -1;
        long at = 0;
        for (int i = 0; i < p.size(); i++) {
            long from = p.get(i);
            long to = i + 1 < p.size() ? p.get(i + 1) : p.get(0) + period;
            if (to - from > best) {
                best = to - from;
                at = from + (to - from) / 2;
            }
        }
        return Math.floorMod(at, period);
    }

    /** Removes a device; writes still waiting for it fail. Returns true when the bus has no device left. */
    boolean detach(Device d) {
        devices.remove(d);
        writes.removeIf(w -> {
            if (w.device() == d) {
                w.result().completeExceptionally(new IOException("device " + d.id() + " was removed"));
                return true;
            }
            return false;
        });
        return devices.isEmpty();
    }

    /** Queues a write; the future tells the read-back value or why it failed. */
    CompletableFuture<String> write(Device d, Register r, Object value) {
        CompletableFuture<String> f = new CompletableFuture<>();
        if (writes.size() >= MAX_PENDING_WRITES) {
            f.completeExceptionally(new IOException("too many writes waiting on " + line.describe()));
            return f;
        }
        writes.add(new Write(d, r, value, f));
        kick();
        return f;
    }

    @Override
    protected void open() throws Exception {
        PortProvider p = providers.apply(line.scheme());
        if (p == null) {
            throw new Unavailable(HealthState.STARTING, "no port provider for scheme '" + line.scheme()
                    + "' is installed (the serial bundle provides serial: and socket:)", 1000);
        }
        PortConnection c;
        try {
            c = p.open(line.providerPort(), line.settings());
        } catch (IllegalArgumentException e) {
            throw new Unavailable(HealthState.FAILED, "bad port '" + line.providerPort() + "': " + e.getMessage());
        }
        Incoming in = new Incoming();
        connection = c;
        incoming = in;
        reading = true;
        Thread t = new Thread(() -> in.pump(c.input(), () -> reading), threadName() + "-rx");
        t.setDaemon(true);
        reader = t;
        t.start();
        quietSince = System.nanoTime();
    }

    private String threadName() {
        return "edgegate-modbus-" + line.key().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    protected void work() throws Exception {
        while (running()) {
            Write w = writes.poll();
            if (w != null) {
                runWrite(w);
                continue;
            }
            Device next = null;
            for (Device d : devices) {
                if (next == null || d.due - next.due < 0) {
                    next = d;
                }
            }
            long now = System.nanoTime();
            if (next == null || next.due - now > 0) {
                long waitMs = next == null ? 1000 : Math.max(1, (next.due - now + 999_999) / 1_000_000);
                pause(waitMs);
                continue;
            }
            poll(next);
            long period = next.settings().pollMs() * 1_000_000L;
            next.due += period;
            if (next.due - System.nanoTime() < 0) {
                next.due = System.nanoTime() + period; // fell behind (a slow bus): skip, never burst to catch up
            }
        }
    }

    private void poll(Device d) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        String problem = null;
        boolean configProblem = false;
        for (Request q : d.plan()) {
            byte[] answer;
            try {
                answer = exchange(d, q.pdu(), q.toString());
            } catch (ModbusException e) {
                d.fault(Fault.EXCEPTION, q + ": " + e.getMessage());
                problem = q + ": " + e.getMessage();
                configProblem = e.code() == 1 || e.code() == 2 || e.code() == 3;
                continue;
            } catch (NoAnswer e) {
                problem = e.getMessage();
                continue;
            }
            progress();
            if (raw.length() < MAX_RAW) { // the answers in hex, for gw:sensors; a long map's are cut short
                raw.append(raw.length() > 0 ? " " : "").append(HexFormat.of().formatHex(answer));
            }
            for (Register r : q.registers()) {
                Object v = r.decode(q.slice(answer, r), d.settings().littleWordOrder());
                if (v != null) {
                    values.put(r.name(), v);
                    if (!r.unit().isEmpty()) {
                        units.put(r.name(), r.unit());
                    }
                }
            }
        }
        d.polled(values, units, problem, configProblem, raw.toString());
    }

    private void runWrite(Write w) throws IOException {
        Device d = w.device();
        Register r = w.register();
        if (!devices.contains(d)) {
            w.result().completeExceptionally(new IOException("device " + d.id() + " was removed"));
            return;
        }
        boolean little = d.settings().littleWordOrder();
        int[] words;
        try {
            words = r.encode(w.value(), little);
        } catch (IllegalArgumentException e) {
            w.result().completeExceptionally(e);
            return;
        }
        String failure;
        try {
            byte[] pdu = r.table().bits() ? Pdu.writeCoil(r.address(), words[0] != 0) : Pdu.writeRegisters(r.address(), words);
            exchange(d, pdu, "write " + r.name());
            Request back = new Request(r.table(), r.address(), r.size(), List.of(r));
            int[] read = back.slice(exchange(d, back.pdu(), "read-back of " + r.name()), r);
            d.due = System.nanoTime(); // poll now: the readings show the new value at once
            if (java.util.Arrays.equals(read, words)) {
                String now = String.valueOf(r.decode(read, little));
                d.wrote(r.name() + " = " + now);
                w.result().complete(now);
                return;
            }
            failure = "read back " + r.decode(read, little) + " after writing " + w.value()
                    + " (the device changed or refused the value)";
        } catch (ModbusException | NoAnswer e) {
            failure = e.getMessage();
        } catch (IOException lost) {
            w.result().completeExceptionally(lost);
            throw lost;
        }
        d.fault(Fault.WRITE, r.name() + " = " + w.value() + ": " + failure);
        w.result().completeExceptionally(new IOException(failure));
    }

    /**
     * Sends one request and returns its answer's PDU, retrying after no answer or a damaged one as the device
     * allows. A Modbus exception is the device's answer: not retried.
     *
     * @throws NoAnswer after the last attempt (the fault of each attempt is counted)
     * @throws IOException when the port is lost
     */
    private byte[] exchange(Device d, byte[] pdu, String what) throws IOException, ModbusException {
        DeviceSettings s = d.settings();
        String last = "";
        for (int attempt = 0; attempt <= s.retries(); attempt++) {
            if (!running()) {
                throw new IOException("the bus is stopping");
            }
            Incoming in = incoming;
            awaitSilence(in);
            int stray = in.discard();
            if (stray > 0) {
                d.fault(Fault.FRAME, stray + " unexpected bytes on the line before " + what);
            }
            byte[] frame = framing.frame(s.unit(), pdu);
            OutputStream out = connection.output();
            out.write(frame);
            out.flush();
            requests++;
            // the answer cannot start before the request has left the wire
            long sent = System.nanoTime() + (long) (frame.length * line.charSeconds() * 1e9);
            try {
                byte[] answer = framing.answer(in, s.unit(), sent + s.timeoutMs() * 1_000_000L);
                if (answer != null) {
                    d.received(answer.length);
                    Pdu.check(pdu, answer);
                    return answer;
                }
                last = "no answer from unit " + s.unit() + " within " + s.timeoutMs() + " ms (" + what + ")";
                d.fault(Fault.TIMEOUT, last);
            } catch (FrameException e) {
                last = e.getMessage() + " (" + what + ")";
                d.fault(Fault.FRAME, last);
                drain(in);
            }
        }
        throw new NoAnswer(last);
    }

    /** RTU: waits until the line was quiet for 3.5 characters since the last byte either way. */
    private void awaitSilence(Incoming in) {
        long silence = line.silenceNanos();
        if (!framing.silent() || silence == 0) {
            return;
        }
        while (true) {
            long quiet = Math.max(in.lastByteNanos(), quietSince) + silence - System.nanoTime();
            if (quiet <= 0) {
                return;
            }
            LockSupport.parkNanos(quiet);
        }
    }

    /** After a damaged frame: drops what follows until the line is quiet (the rest of the garbage). */
    private void drain(Incoming in) throws IOException {
        long quiet = Math.max(line.silenceNanos(), 20_000_000L);
        long until = System.nanoTime() + 500_000_000L;
        while (in.next(System.nanoTime() + quiet) >= 0 && System.nanoTime() - until < 0) {
            // dropping the rest of a damaged frame
        }
        quietSince = System.nanoTime();
    }

    @Override
    protected void close() {
        reading = false;
        PortConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            }
        }
        Thread t = reader;
        reader = null;
        if (t != null) {
            org.edgegate.kernel.Threads.join(t, STOP_GRACE_MS);
        }
        for (Write w; (w = writes.poll()) != null; ) {
            w.result().completeExceptionally(new IOException("the port was closed"));
        }
    }

    @Override
    protected void abort() {
        PortConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** No answer after every attempt. */
    static final class NoAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message) {
            super(message);
        }
    }
}
