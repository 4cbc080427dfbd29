import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under a Java gateway's CPU per event: a thread woken RATE times a second by a byte in a pipe,
 * waiting in a blocking read or (nio) in a selector as JeroMQ's threads do. Prints its CPU per wake, measured
 * over the last four fifths of the run (the first fifth warms the code up).
 * Usage: java Wake RATE SECONDS [nio]
 */
public class Wake {
    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[0]);
        long n = (long) (rate * Integer.parseInt(args[1]));
        boolean nio = args.length > 2 && args[2].equals("nio");
        Pipe pipe = Pipe.open();
        Thread writer = new Thread(() -> {
            try {
                ByteBuffer b = ByteBuffer.allocate(1);
                for (long i = 0; i < n; i++) {
                    LockSupport.parkNanos((long) (1e9 / rate));
                    b.clear();
                    pipe.sink().write(b);
                }
                pipe.sink().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ByteBuffer buf = ByteBuffer.allocate(64);
        long wakes = 0;
        long cpu0 = 0;
        writer.start();
        Selector selector = null;
        if (nio) {
            pipe.source().configureBlocking(false);
            selector = Selector.open();
            pipe.source().register(selector, SelectionKey.OP_READ);
        }
        while (true) {
            if (nio) {
                selector.select();
                selector.selectedKeys().clear();
            }
            buf.clear();
            if (pipe.source().read(buf) < 0) {
                break;
            }
            if (++wakes == n / 5) {
                cpu0 = threads.getCurrentThreadCpuTime();
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        System.out.printf("{\"bench\": \"wakefloor\", \"side\": \"java %s\", \"rate\": %.0f, \"us_per_wake\": %.1f}%n",
                nio ? "selector" : "blocking read", rate, cpu / 1e3 / (wakes - n / 5));
    }
}
