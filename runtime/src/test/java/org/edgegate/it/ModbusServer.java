package org.edgegate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-pymodbus (3.0) as the device nobody here wrote: {@code src/test/python/modbus_server.py}
 * serving RTU on a pty or TCP on a loopback port, several unit ids, registers the test sets through the
 * script's stdin (set, get, mute, unmute).
 */
final class ModbusServer implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/python/modbus_server.py").toAbsolutePath();
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(64);
    /** The script's stderr: its last line says why it ended (a module it could not import, say). */
    private final Path errors = Files.createTempFile("modbus_server", ".stderr");
    /** Put after the last answer when the script's output ends. */
    private static final String ENDED = "\0ended";

    private ModbusServer(String mode, String where, String units) throws IOException {
        process = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), mode, where, units)
                .redirectError(errors.toFile()).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    answers.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the server ended
            }
            answers.offer(ENDED);
        }, "modbus-server-output");
        t.setDaemon(true);
        t.start();
        String first = answer(Duration.ofSeconds(20));
        if (!"ready".equals(first)) {
            close();
            throw new IOException("modbus_server.py did not start (python3-pymodbus and python3-serial-asyncio"
                    + " installed?): " + first);
        }
    }

    static ModbusServer rtu(Path pty, int... units) throws IOException {
        return new ModbusServer("rtu", pty.toString(), join(units));
    }

    static ModbusServer tcp(int port, int... units) throws IOException {
        return new ModbusServer("tcp", Integer.toString(port), join(units));
    }

    private static String join(int[] units) {
        StringBuilder b = new StringBuilder();
        for (int u : units) {
            b.append(b.length() == 0 ? "" : ",").append(u);
        }
        return b.toString();
    }

    /** Sends one command line and returns its one-line answer; an "error ..." answer fails the test. */
    synchronized String command(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
        String a = answer(Duration.ofSeconds(10));
        if (a == null || a.startsWith("error")) {
            throw new AssertionError("modbus server: " + line + " -> " + a);
        }
        return a;
    }

    /** Sets 16-bit words (hr, ir) or bits (co, di) of a unit from an address. */
    void set(int unit, String table, int address, int... values) throws IOException {
        StringBuilder b = new StringBuilder("set " + unit + " " + table + " " + address);
        for (int v : values) {
            b.append(' ').append(v);
        }
        command(b.toString());
    }

    String get(int unit, String table, int address, int count) throws IOException {
        return command("get " + unit + " " + table + " " + address + " " + count);
    }

    private String answer(Duration timeout) throws IOException {
        try {
            String a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ENDED.equals(a)) {
                return a;
            }
            answers.offer(ENDED); // for the next caller too
            process.waitFor(5, TimeUnit.SECONDS);
            List<String> stderr = Files.readAllLines(errors);
            return "(ended" + (process.isAlive() ? "" : ", exit code " + process.exitValue()) + ")"
                    + (stderr.isEmpty() ? "" : ": " + stderr.get(stderr.size() - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(errors);
        } catch (IOException e) {
            // a temporary file left behind
        }
    }
}
