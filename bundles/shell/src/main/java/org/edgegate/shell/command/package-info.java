/**
 * Gogo commands whose names have a dash ({@code gw:sensor-add}), served by ordinary Java methods
 * ({@code sensorAdd}): see {@link org.edgegate.shell.command.DashedCommands}. Feature bundles import this
 * package with {@code resolution:=optional}, as they import Gogo, so they run without a shell.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.shell.command;
