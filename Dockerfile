# Build: docker build -t kubediscovery:0.1.0 .   (the tag deploy/base/deployment.yaml uses)
# The shipped form is a native binary (Native AOT): the SDK image that carries the native toolchain.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/KubeDiscovery/KubeDiscovery.csproj -c Release -r linux-x64 -o /app

# No .NET runtime: the binary holds what it runs. runtime-deps has the C libraries and CA certificates.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
WORKDIR /app
# The binary and SQLite's native library; not the debug symbols (kubediscovery.dbg) beside them.
COPY --from=build /app/kubediscovery /app/libe_sqlite3.so ./
# The image's unprivileged "app" user, by number so Kubernetes can check runAsNonRoot.
USER 1654
EXPOSE 8443
ENTRYPOINT ["./kubediscovery"]
CMD ["--secure-port=8443"]
