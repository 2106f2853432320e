# Build: docker build -t kubediscovery:0.1.0 .   (the tag deploy/base/deployment.yaml uses)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY samples/ samples/
COPY src/ src/
RUN dotnet publish src/KubeDiscovery/KubeDiscovery.csproj -c Release -o /app

# The ASP.NET Core runtime only: no SDK, no shell tools the server does not need.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's unprivileged "app" user, by number so Kubernetes can check runAsNonRoot.
USER 1654
EXPOSE 8443
ENTRYPOINT ["./kubediscovery"]
CMD ["--secure-port=8443"]
