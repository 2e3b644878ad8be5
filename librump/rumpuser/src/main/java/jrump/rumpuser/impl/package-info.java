/**
 * Pieces the host ({@link jrump.rumpuser.host}) and the simulated ({@link jrump.rumpuser.sim}) hypervisors
 * share. Not exported: nothing outside rumpuser sees them.
 */
package jrump.rumpuser.impl;
