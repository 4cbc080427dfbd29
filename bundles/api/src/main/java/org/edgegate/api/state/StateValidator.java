package org.edgegate.api.state;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Refuses a value that cannot mean what its key means, before it is written. Register one as a service
 * with {@link #PREFIX}; the state service asks every validator whose prefix matches the key on each write
 * ({@code put}, {@code compareAndSet}, {@code compute}) and throws an {@link IllegalArgumentException} with
 * the reason, so every client (gw:state, ZeroMQ, MQTT) gets the same clear refusal. A camera registers one
 * for {@code camera/<id>/enabled}.
 */
@ConsumerType
public interface StateValidator {
    /** Service property: key prefixes this validator checks, as for {@link StateListener#PREFIX}. */
    String PREFIX = StateListener.PREFIX;

    /**
     * Null when {@code value} (a normalized state value) may be written under {@code key}, else why not, in
     * words for the one who wrote it ("use true or false"). Called on the writer's thread: keep it quick.
     */
    String problem(String key, Object value);
}
