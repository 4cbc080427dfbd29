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
 * so the waker counts first; its share of the CPU under load is the same (its nice value is kept). Only JeroMQ's
 * threads: they make no threads, which would take the policy from them (SCHED_RESET_ON_FORK keeps SCHED_BATCH).
 *
 * <p>Linux with JNA only (JNA is an optional import); elsewhere, or when refused, threads keep their policy.
 */
final class BatchScheduling {
    /** {@code SCHED_BATCH} in Linux's {@code sched.h}. */
    static final int SCHED_BATCH = 3;

    private BatchScheduling() {
    }

    /**
     * Puts the calling thread in {@code SCHED_BATCH}. Never throws.
     *
     * @return null when done, else why not
     */
    static String applyToCurrentThread() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "not Linux";
        }
        try {
            return Libc.sched_setscheduler(0, SCHED_BATCH, new int[1]) == 0 ? null
                    : "sched_setscheduler refused: errno " + Native.getLastError();
        } catch (LinkageError e) { // no JNA wired to this bundle, or no C library it can open
            return "no JNA: " + e;
        }
    }

    /** libc through JNA, loaded at the first call (a missing JNA fails that call, not this bundle). */
    private static final class Libc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        /** {@code param} is {@code struct sched_param}: one int, the static priority (0 outside real time). */
        static native int sched_setscheduler(int pid, int policy, int[] param);
    }
}
