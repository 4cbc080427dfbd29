/** One inventory of the gateway's moving parts, for the readers that show all of them (metrics, dashboard). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.api.inventory;
