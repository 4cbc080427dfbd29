package org.edgegate.kernel.fuzz;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A seeded mutation fuzzer for the decoders we wrote, for JUnit 4 tests (Jazzer's JUnit integration needs
 * JUnit 5). Each run feeds the target its seeds, then mutations of seeds and of earlier inputs (bit flips,
 * interesting bytes and integers, inserted, deleted, repeated and spliced runs, truncation). It fails on
 * the first exception that is not one of the declared ones, and on a call that takes longer than
 * {@link #CALL_TIMEOUT_SECONDS}: nothing may escape that a caller does not expect, and nothing may hang.
 * The failing input is in the message (base64), with the seed to replay it.
 *
 * <p>Bounded per build: {@code edgegate.fuzz.runs} inputs (default 3,000) or 20 s per target, whichever
 * comes first; {@code edgegate.fuzz.seed} changes the seed (default: fixed, so a build is reproducible).
 */
public final class Fuzz {
    public static final int CALL_TIMEOUT_SECONDS = 5;
    private static final int RUNS = Integer.getInteger("edgegate.fuzz.runs", 3_000);
    private static final long MAX_MILLIS = Long.getLong("edgegate.fuzz.millis", 20_000);
    private static final long SEED = Long.getLong("edgegate.fuzz.seed", 18L);
    private static final int[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 16, 64};

    /** The code under test, given one input. */
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    private Fuzz() {
    }

    /**
     * Fuzzes {@code target}, starting from {@code seeds}; exceptions of the {@code declared} types (and their
     * subtypes) are what the target may throw for bad input.
     *
     * @return how many inputs were tried
     */
    @SafeVarargs
    public static int run(String name, List<byte[]> seeds, Target target, Class<? extends Throwable>... declared) {
        SplittableRandom random = new SplittableRandom(SEED ^ name.hashCode());
        List<byte[]> corpus = new ArrayList<>(seeds);
        if (corpus.isEmpty()) {
            corpus.add(new byte[0]);
        }
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
        int n = 0;
        try {
            for (; n < RUNS && System.nanoTime() < deadline; n++) {
                byte[] input = n < seeds.size() ? seeds.get(n) : mutate(corpus.get(random.nextInt(corpus.size())),
                        corpus, random);
                Future<?> call = caller.submit(() -> {
                    target.run(input);
                    return null;
                });
                try {
                    call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    call.cancel(true);
                    throw new AssertionError(name + ": no answer within " + CALL_TIMEOUT_SECONDS + " s for "
                            + shown(input) + " (seed " + SEED + ", input " + n + ")");
                } catch (ExecutionException e) {
                    if (!isDeclared(e.getCause(), declared)) {
                        throw new AssertionError(name + ": undeclared " + e.getCause() + " for " + shown(input)
                                + " (seed " + SEED + ", input " + n + ")", e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (corpus.size() < 256 && random.nextInt(8) == 0) {
                    corpus.add(input);
                }
            }
        } finally {
            caller.shutdownNow();
        }
        return n;
    }

    private static boolean isDeclared(Throwable t, Class<? extends Throwable>[] declared) {
        for (Class<? extends Throwable> c : declared) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static byte[] mutate(byte[] in, List<byte[]> corpus, SplittableRandom r) {
        byte[] b = in.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = mutateOnce(b, corpus, r);
        }
        return b;
    }

    private static byte[] mutateOnce(byte[] b, List<byte[]> corpus, SplittableRandom r) {
        if (b.length == 0) {
            return randomBytes(r, 1 + r.nextInt(16));
        }
        int at = r.nextInt(b.length);
        switch (r.nextInt(8)) {
            case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
            case 2 -> {
                if (b.length >= 4) {
                    int v = INTERESTING[r.nextInt(INTERESTING.length)];
                    int p = r.nextInt(b.length - 3);
                    boolean big = r.nextBoolean();
                    for (int k = 0; k < 4; k++) {
                        b[p + k] = (byte) (v >>> (big ? 24 - 8 * k : 8 * k));
                    }
                }
            }
            case 3 -> {
                return splice(b, at, 0, randomBytes(r, 1 + r.nextInt(8)));
            }
            case 4 -> {
                return splice(b, at, 1 + r.nextInt(Math.min(16, b.length - at)), new byte[0]);
            }
            case 5 -> {
                int len = 1 + r.nextInt(Math.min(32, b.length - at));
                byte[] run = java.util.Arrays.copyOfRange(b, at, at + len);
                return splice(b, at, 0, run);
            }
            case 6 -> {
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                if (other.length > 0) {
                    int from = r.nextInt(other.length);
                    return splice(b, at, b.length - at, java.util.Arrays.copyOfRange(other, from,
                            Math.min(other.length, from + 1 + r.nextInt(64))));
                }
            }
            default -> {
                return java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static String shown(byte[] input) {
        String s = Base64.getEncoder().encodeToString(input);
        return "input[" + input.length + "] base64 " + (s.length() > 2000 ? s.substring(0, 2000) + "..." : s);
    }
}
