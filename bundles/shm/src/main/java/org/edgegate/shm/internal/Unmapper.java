package org.edgegate.shm.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a file at once (sun.misc.Unsafe.invokeCleaner, in jdk.unsupported), so a stopped publisher gives
 * its shared memory back now rather than at some later garbage collection. Where that is not available the
 * collector does it.
 */
final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unsafe = null;
            invokeCleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private Unmapper() {
    }

    /** True when mappings are released at once. */
    static boolean immediate() {
        return INVOKE_CLEANER != null;
    }

    /** Releases the mapping; the buffer (and every slice of it) must not be touched again. */
    static void unmap(MappedByteBuffer map) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, map);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector
        }
    }
}
