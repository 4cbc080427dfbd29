import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The floor under a ZeroMQ endpoint's CPU per message from a JVM: a thread binds a PUB and sends one message (a
 * topic frame and 145 bytes, a reading's size) RATE times a second, through JeroMQ (jeromq-batch: its threads in
 * Linux's SCHED_BATCH, as the gateway runs them, docs/zmq.md) or through libzmq called with JNA; prints the JVM's
 * CPU per message over the last four fifths of the run (the first fifth warms the code up) and, for JeroMQ, each
 * thread's share. Usage: java ZmqFloor jeromq|jeromq-batch|libzmq RATE SECONDS ADDRESS
 */
public class ZmqFloor {
    static final byte[] TOPIC = "sensor/bench".getBytes();
    static final byte[] BODY = new byte[145];

    interface Sender extends AutoCloseable {
        void send();
    }

    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[1]);
        long n = (long) (rate * Integer.parseInt(args[2]));
        boolean jeromq = args[0].startsWith("jeromq");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Sender sender = jeromq ? new JeroMq(args[3], args[0].endsWith("-batch")) : new LibZmq(args[3])) {
            Thread.sleep(1500); // the subscriber connects
            long cpu0 = 0;
            Map<Long, Long> before = Map.of();
            for (long i = 0; i < n; i++) {
                LockSupport.parkNanos((long) (1e9 / rate));
                if (i == n / 5) {
                    cpu0 = os.getProcessCpuTime();
                    before = threadCpu(threads);
                }
                sender.send();
            }
            long m = n - n / 5;
            double perMessage = (os.getProcessCpuTime() - cpu0) / 1e3 / m;
            StringBuilder perThread = new StringBuilder();
            if (jeromq) {
                for (Map.Entry<Long, Long> e : threadCpu(threads).entrySet()) {
                    long ns = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                    if (ns >= m * 1_000L) { // 1 µs a message or more
                        perThread.append(String.format(", \"%s\": %.1f", threads.getThreadInfo(e.getKey()).getThreadName(), ns / 1e3 / m));
                    }
                }
            }
            System.out.printf("{\"bench\": \"zmqfloor\", \"side\": \"%s\", \"rate\": %.0f, \"us_per_message\": %.1f%s}%n",
                    jeromq ? "JeroMQ (Java)" + (args[0].endsWith("-batch") ? ", SCHED_BATCH" : "") : "libzmq from Java (JNA)",
                    rate, perMessage, perThread);
        }
    }

    static Map<Long, Long> threadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            cpu.put(id, threads.getThreadCpuTime(id));
        }
        return cpu;
    }

    static final class JeroMq implements Sender {
        private final ZContext context = new ZContext(1);
        private final ZMQ.Socket pub;

        JeroMq(String address, boolean batch) {
            if (batch) {
                context.setThreadFactor((target, name) -> new Thread(() -> {
                    LibZmq.Libc.sched_setscheduler(0, 3, new int[1]); // SCHED_BATCH
                    target.run();
                }, name));
            }
            pub = context.createSocket(SocketType.PUB);
            pub.setLinger(0);
            pub.bind(address);
        }

        public void send() {
            pub.sendMore(TOPIC);
            pub.send(BODY);
        }

        public void close() {
            context.close();
        }
    }

    static final class LibZmq implements Sender {
        static {
            Native.register(NativeLibrary.getInstance("zmq"));
        }

        static native Pointer zmq_ctx_new();
        static native Pointer zmq_socket(Pointer context, int type);
        static native int zmq_bind(Pointer socket, String address);
        static native int zmq_send(Pointer socket, byte[] buffer, long length, int flags);
        static native int zmq_close(Pointer socket);
        static native int zmq_ctx_term(Pointer context);

        private final Pointer context = zmq_ctx_new();
        private final Pointer pub = zmq_socket(context, 1); // ZMQ_PUB

        LibZmq(String address) {
            if (zmq_bind(pub, address) != 0) {
                throw new IllegalStateException("cannot bind " + address);
            }
        }

        public void send() {
            zmq_send(pub, TOPIC, TOPIC.length, 2); // ZMQ_SNDMORE
            zmq_send(pub, BODY, BODY.length, 0);
        }

        public void close() {
            zmq_close(pub);
            zmq_ctx_term(context);
        }

        static final class Libc {
            static {
                Native.register(com.sun.jna.Platform.C_LIBRARY_NAME);
            }

            static native int sched_setscheduler(int pid, int policy, int[] param);
        }
    }
}
