package org.edgegate.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network camera nobody here wrote: Debian's ffmpeg serving a clip as MJPEG over HTTP
 * ({@code -f mpjpeg -listen 1}, the clip's own JPEGs copied, at the clip's rate, looped). ffmpeg serves one
 * client per run, so it is started again each time it ends, until {@link #stop()}.
 */
final class FfmpegMjpegServer implements AutoCloseable {
    private final Path clip;
    private final int port;
    private final Path log;
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean running;
    private volatile Process process;
    private Thread keeper;

    FfmpegMjpegServer(Path clip, int port, Path log) {
        this.clip = clip;
        this.port = port;
        this.log = log;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/cam.mjpg";
    }

    /** Starts serving (again, after {@link #stop()}). */
    synchronized FfmpegMjpegServer start() {
        running = true;
        keeper = new Thread(this::keep, "ffmpeg-keeper-" + port);
        keeper.setDaemon(true);
        keeper.start();
        return this;
    }

    private void keep() {
        while (running) {
            try {
                Process p = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                        "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "mpjpeg", "-listen", "1",
                        url())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                process = p;
                runs.incrementAndGet();
                p.waitFor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start ffmpeg (test-programs.txt lists it)", e);
            } catch (InterruptedException e) {
                process.destroyForcibly(); // started just as stop() came
                return;
            }
        }
    }

    /** Kills ffmpeg and serves no more: the camera's server is gone. */
    synchronized void stop() throws InterruptedException {
        running = false;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (keeper != null) {
            keeper.interrupt();
            keeper.join(10_000);
            keeper = null;
        }
        Process last = process;
        if (last != null) {
            last.destroyForcibly();
            last.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** How many times ffmpeg was started (once per client served, plus one waiting). */
    int runs() {
        return runs.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
