package org.edgegate.zmq.internal;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: wait on a condition with a deadline, pick a free loopback port. */
public final class Wait {
    private Wait() {
    }

    static void until(String what, long timeoutMillis, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static <T> T until(String what, long timeoutMillis, Supplier<T> value) {
        return until(() -> what, timeoutMillis, value);
    }

    /** Waits for a value; the description is computed at the time out, so it can show the state then. */
    public static <T> T until(Supplier<String> what, long timeoutMillis, Supplier<T> value) {
        Object[] holder = new Object[1];
        long end = System.currentTimeMillis() + timeoutMillis;
        while ((holder[0] = value.get()) == null) {
            if (System.currentTimeMillis() > end) {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        @SuppressWarnings("unchecked")
        T t = (T) holder[0];
        return t;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
