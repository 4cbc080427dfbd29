package org.edgegate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion with a deadline. Its output goes to a file and its input comes from one,
 * so nothing blocks on a pipe: a hung program is killed (with its children) at the deadline and the
 * test fails then, naming it, instead of stalling the build.
 */
final class Command {
    /** What a program printed (stdout and stderr) and its exit status; {@code timedOut} when killed. */
    record Result(int status, String output, boolean timedOut) {
        boolean ok() {
            return !timedOut && status == 0;
        }
    }

    private Command() {
    }

    /** Runs {@code command} in {@code dir} (null: this one) with no input. */
    static Result run(Duration timeout, Path dir, List<String> command) {
        return run(timeout, dir, Map.of(), null, command);
    }

    /**
     * Runs {@code command} in {@code dir} (null: this one), with {@code environment} added to this JVM's
     * and {@code input} (null: none) on its standard input.
     */
    static Result run(Duration timeout, Path dir, Map<String, String> environment, byte[] input, List<String> command) {
        Path folder = GatewayTestSupport.WORK.toAbsolutePath();
        Path out = null;
        Path in = null;
        try {
            Files.createDirectories(folder);
            out = Files.createTempFile(folder, "command", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            } else {
                in = Files.createTempFile(folder, "command", ".in");
                Files.write(in, input);
                builder.redirectInput(in.toFile());
            }
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Result(-1, new String(Files.readAllBytes(out), StandardCharsets.UTF_8)
                        + "\n(" + String.join(" ", command) + ": killed after " + timeout.toSeconds() + " s)", true);
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(in);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover in target/it: harmless
            }
        }
    }
}
