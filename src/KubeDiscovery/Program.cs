using KubeDiscovery.Cli;

return await ServerCommand.RunAsync(args, Console.Out, Console.Error);
