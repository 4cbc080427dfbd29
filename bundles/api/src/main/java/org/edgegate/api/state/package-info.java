/** Shared state: typed key/value entries with versions, compare-and-set, prefix listeners, validators and limits. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.edgegate.api.state;
