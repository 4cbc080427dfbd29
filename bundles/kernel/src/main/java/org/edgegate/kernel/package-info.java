/**
 * The connector kernel: what every connector (a serial sensor, a camera, a ZeroMQ endpoint, an MQTT
 * broker connection) needs besides its protocol: its thread, stop and join with a deadline, back-off with
 * jitter, health transitions logged once per change, counters and rates, and one bounded, coalescing
 * latest-value dispatcher for listeners.
 *
 * <p>This package is NOT exported and is not a bundle: each bundle that runs connectors embeds a private
 * copy through bnd's {@code -conditionalpackage: org.edgegate.kernel.*} (see docs/architecture.md).
 * Plain Java: no OSGi types, so unit tests run it without a framework.
 */
package org.edgegate.kernel;
