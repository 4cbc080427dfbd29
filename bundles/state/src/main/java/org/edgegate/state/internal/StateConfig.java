package org.edgegate.state.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StateServiceComponent.PID, name = "EdgeGate shared state",
        description = "The gateway's shared key/value state and where its snapshot is kept across restarts.")
@interface StateConfig {
    @AttributeDefinition(name = "Snapshot file",
            description = "File the state is saved to and restored from. Empty: data/state/state.snapshot in the "
                    + "gateway's data folder (framework property edgegate.data), or the bundle's own data area.")
    String snapshotFile() default "";

    @AttributeDefinition(name = "Snapshot delay (ms)",
            description = "How long after a lone change the snapshot is written; changes within this time are saved "
                    + "together. The state is always saved when the bundle stops.", min = "0")
    long snapshotDelay() default StateServiceComponent.DEFAULT_SNAPSHOT_DELAY;

    @AttributeDefinition(name = "Snapshot interval (ms)",
            description = "The snapshot is written at most once per interval, and only after a change: under a stream "
                    + "of changes (sensor readings) they are saved together once per interval. What a power cut can "
                    + "lose is the changes of the last interval; a clean stop (service stop, SIGTERM) saves "
                    + "everything. Shorter: less lost at a power cut, more writes (an SD card wears) and an fsync each.",
            min = "0")
    long snapshotInterval() default StateServiceComponent.DEFAULT_SNAPSHOT_INTERVAL;

    @AttributeDefinition(name = "Listener threads",
            description = "Threads that deliver changes to state listeners. A slow listener occupies one.",
            min = "1", max = "64")
    int listenerThreads() default 2;

    @AttributeDefinition(name = "Maximum entries",
            description = "How many keys the state holds at most. A write of a new key beyond it is refused with "
                    + "a clear error (gw:set prints it, the state endpoint answers ok:false).", min = "1")
    int maxEntries() default 10_000;

    @AttributeDefinition(name = "Maximum value size (bytes)",
            description = "The largest value one key may hold, counted as JSON carries it: a string's UTF-8 with "
                    + "escapes (a control character counts 6), bytes as base64. A larger value is refused.", min = "1")
    int maxValueBytes() default 64 * 1024;

    @AttributeDefinition(name = "Maximum state size (bytes)",
            description = "All keys and values together, each entry counted as its key and value as JSON carries them "
                    + "plus 64 bytes, so a full listing is bounded too. A write that would pass it is refused; gw:status "
                    + "warns above 80 %. Sized with the heap: see docs/operations.md, Limits.", min = "1")
    long maxBytes() default 8L * 1024 * 1024;

    @AttributeDefinition(name = "Maximum key length",
            description = "The longest key, in characters (at most 512).", min = "1", max = "512")
    int maxKeyLength() default 256;
}
