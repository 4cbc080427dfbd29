package org.edgegate.zmq.internal.socket;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Linux's {@code SCHED_BATCH} policy for a ZeroMQ context's own threads, its I/O thread and reaper, which JeroMQ
 * wakes through its signaler pipes.
 *
 * <p>Why: JeroMQ's {@code Signaler.send} writes the pipe's byte first and counts the signal after it; the woken
 * thread's poll returns at once while the byte is unread, and its mailbox reads nothing until the count is made.
 * Linux often wakes the thread on its waker's CPU and lets it preempt the waker there, between the write and
 * the count: the woken thread then spins in its poll until the scheduler gives the CPU back. At 100 readings a
 * second that spin was most of a reading's CPU (docs/BENCHMARKS.md). A batch thread never preempts on waking,
 * so the waker counts first; its share of the CPU under load is the same (its nice value is kept).
 *
 * <p>Only JeroMQ's threads: a thread takes its maker's policy (SCHED_RESET_ON_FORK resets real-time policies
 * only), and they make none. The endpoint's thread makes some (a pool's worker, for a state change it writes).
 *
 * <p>Linux with JNA only (JNA is an optional import); elsewhere, or when refused, threads keep their policy.
 */
final class BatchScheduling {
    /** Policies of Linux's {@code sched.h}. */
    private static final int SCHED_OTHER = 0;
    static final int SCHED_BATCH = 3;
    /** Whether threads' policies can be set here: Linux, JNA wired to this bundle, libc found (asked once). */
    private static final boolean AVAILABLE = linuxWithJna();

    private BatchScheduling() {
    }

    /**
     * Puts the calling thread in {@code SCHED_BATCH} if it is in the normal policy (else it is the operator's
     * choice: {@code chrt}, systemd's {@code CPUSchedulingPolicy}). Never throws.
     *
     * @return whether it is a batch thread now
     */
    static boolean applyToCurrentThread() {
        return AVAILABLE && Libc.sched_getscheduler(0) == SCHED_OTHER
                && Libc.sched_setscheduler(0, SCHED_BATCH, new int[1]) == 0;
    }

    private static boolean linuxWithJna() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            return Libc.sched_getscheduler(0) >= 0;
        } catch (LinkageError e) { // no JNA wired to this bundle, or no C library it can open
            return false;
        }
    }

    /** libc through JNA, loaded at the first call (a missing JNA fails that call, not this bundle). */
    private static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        /** {@code param} is {@code struct sched_param}: one int, the static priority (0 outside real time). */
        static native int sched_setscheduler(int pid, int policy, int[] param);

        static native int sched_getscheduler(int pid);
    }
}
