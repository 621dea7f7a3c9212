/** Command line: the {@code storyline} command and its subcommands (picocli). */
package io.storyline.cli;
