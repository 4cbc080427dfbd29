package org.edgegate.state.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StateServiceComponent.PID, name = "EdgeGate shared state",
        description = "The gateway's shared key/value state and where its snapshot is kept across restarts.")
@interface StateConfiguration {
    @AttributeDefinition(name = "Snapshot file",
            description = "File the state is saved to and restored from. Empty: data/state/state.snapshot in the "
                    + "gateway's data folder (framework property edgegate.data), or the bundle's own data area.")
    String snapshotFile() default "";

    @AttributeDefinition(name = "Snapshot delay (ms)",
            description = "How long after a change the snapshot is written; changes within this time are saved "
                    + "together. The state is always saved when the bundle stops.", min = "0")
    long snapshotDelay() default 1000;

    @AttributeDefinition(name = "Listener threads",
            description = "Threads that deliver changes to state listeners. A slow listener occupies one.",
            min = "1", max = "64")
    int listenerThreads() default 2;
}
