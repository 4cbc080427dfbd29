package org.edgegate.zmq.internal.socket;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.edgegate.kernel.ConnectorLog;
import org.edgegate.zmq.internal.Wait;
import org.junit.Assume;
import org.junit.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import zmq.ZError;

public class EndpointSocketsTest {
    /**
     * RuntimeProcessIT once found a warning at shutdown: JeroMQ's termination acknowledged to a mailbox that
     * was closed already. While the context closes that is debug; before, the same exception is a warning.
     */
    @Test
    public void whatJeroMqCatchesWhileTheContextClosesIsNoWarning() throws IOException {
        List<String> lines = new ArrayList<>();
        ConnectorLog log = ConnectorLog.of((f, a) -> lines.add("INFO"), (f, a) -> lines.add("WARN"),
                (f, a) -> lines.add("DEBUG"));
        try (WakePipe wake = new WakePipe()) {
            EndpointSockets sockets = new EndpointSockets(new SocketOptions(SocketType.PUB, "tcp://127.0.0.1:0", true,
                    10, 4096, 4, null), wake, "t", log, problem -> { });
            sockets.open();
            ZError.IOException closed = new ZError.IOException(new ClosedChannelException());
            sockets.notified(closed);
            sockets.close();
            sockets.notified(closed);
        }
        assertEquals(List.of("WARN", "DEBUG"), lines.subList(lines.size() - 2, lines.size()));
    }

    /**
     * The context's threads (I/O thread and reaper) are woken by JeroMQ's signals: they run in SCHED_BATCH, so none
     * preempts the thread that signals it before that thread has counted the signal (BatchScheduling). The
     * endpoint's thread keeps its policy: the threads it makes (a pool's, say) would take SCHED_BATCH from it.
     */
    @Test
    public void theContextsThreadsRunInBatchSchedulingTheEndpointsThreadDoesNot() throws Exception {
        Assume.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        AtomicReference<String> opener = new AtomicReference<>();
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        Map<String, String> contextThreads;
        try (WakePipe wake = new WakePipe()) {
            EndpointSockets sockets = new EndpointSockets(new SocketOptions(SocketType.PUB, "tcp://127.0.0.1:0", true,
                    10, 4096, 4, null), wake, "batch", ConnectorLog.of((f, a) -> { }, (f, a) -> { }, (f, a) -> { }),
                    problem -> { });
            Thread endpoint = new Thread(() -> { // opens, polls and closes, as the endpoint's thread does
                sockets.open();
                try {
                    opener.set(policy(Path.of("/proc/thread-self/stat")));
                    opened.countDown();
                    looked.await();
                } catch (IOException | InterruptedException e) {
                    opener.set(e.toString());
                } finally {
                    sockets.close();
                }
            });
            endpoint.start();
            assertTrue("opened", opened.await(10, TimeUnit.SECONDS));
            try {
                // a context thread sets its policy when it starts running
                contextThreads = Wait.until(() -> "the I/O thread and reaper in SCHED_BATCH: " + threadPolicies("batch-"),
                        5_000, () -> {
                            Map<String, String> now = threadPolicies("batch-");
                            return now.size() == 2 && now.values().stream().allMatch("3"::equals) ? now : null;
                        });
            } finally {
                looked.countDown();
                endpoint.join(10_000);
            }
        }
        assertEquals("the endpoint's thread", "0", opener.get());
        assertEquals("I/O thread and reaper: " + contextThreads, 2, contextThreads.size());
        for (Map.Entry<String, String> t : contextThreads.entrySet()) {
            assertEquals(t.getKey(), String.valueOf(BatchScheduling.SCHED_BATCH), t.getValue());
        }
    }

    /**
     * JeroMQ's signal race on the endpoint's thread: a command that brings no message (here the I/O thread's
     * "write again" after every 5 messages it took, a high-water mark of 10) may wake the poll before JeroMQ
     * counted it; the poll then gives its CPU away once, so the waker can count, instead of polling again at
     * once. A subscription (a message) gives none away.
     */
    @Test
    public void aSignalThatBringsNoMessageMakesThePollGiveItsCpuAway() throws IOException {
        AtomicInteger givenAway = new AtomicInteger();
        try (WakePipe wake = new WakePipe(); ZMQ.Context client = ZMQ.context(1);
                ZMQ.Socket sub = client.socket(SocketType.SUB)) {
            EndpointSockets sockets = new EndpointSockets(new SocketOptions(SocketType.PUB, "tcp://127.0.0.1:0", true,
                    10, 4096, 4, null), wake, "yield", ConnectorLog.NONE, problem -> { });
            sockets.giveWay = givenAway::incrementAndGet;
            try {
                sockets.open();
                sub.setLinger(0);
                sub.subscribe(new byte[0]);
                sub.connect(sockets.socket().getLastEndpoint());
                Wait.until(() -> "the subscription", 10_000, () -> {
                    sockets.poll(100);
                    return sockets.readable() ? sockets.receive() : null;
                });
                givenAway.set(0); // setting up the connection took commands without messages too
                sockets.poll(0);
                assertEquals("after a signal that brought a message", 0, givenAway.get());
                // A send takes the commands that came meanwhile itself: sent in rounds, some come while it polls.
                Wait.until(() -> "the CPU given away", 10_000, () -> {
                    for (int i = 0; i < 10; i++) {
                        assertTrue(sockets.send(new byte[][] { {(byte) i} }));
                    }
                    sockets.poll(100);
                    sockets.readable();
                    return givenAway.get() > 0 ? true : null;
                });
            } finally {
                sockets.close();
            }
        }
    }

    /** This JVM's threads whose name starts with the prefix: name to scheduling policy. */
    private static Map<String, String> threadPolicies(String prefix) {
        Map<String, String> policies = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).trim();
                if (name.startsWith(prefix)) {
                    policies.put(name, policy(task.resolve("stat")));
                }
            }
        } catch (IOException e) { // a thread that ended while listed: asked again
            return Map.of();
        }
        return policies;
    }

    /** The scheduling policy of a thread, field 41 of its {@code stat} (the name in parentheses may hold spaces). */
    private static String policy(Path stat) throws IOException {
        String text = Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).split(" ")[38];
    }
}
