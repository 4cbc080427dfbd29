/** Health of the gateway's moving parts (sensors, cameras, endpoints), shown by gw:status; the rule for their ids; counters for /metrics ({@link Metered}). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.edgegate.api.health;
