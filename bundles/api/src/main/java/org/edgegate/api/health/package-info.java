/** Health of the gateway's moving parts (sensors, cameras, endpoints), shown by gw:status; the rule for their ids. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.edgegate.api.health;
