import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter } from "react-router";
import { Notifications } from "@/components/Notifications";
import { createQueryClient } from "@/lib/query-client";
import { AppRoutes } from "./routes";

export function App() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <AppRoutes />
        <Notifications />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
