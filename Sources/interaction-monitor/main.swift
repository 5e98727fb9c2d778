import InteractionMonitorCLI

await InteractionMonitorCommand.runAndExit()
