import '@mantine/core/styles.css';
import './styles.css';
import { ApolloProvider } from '@apollo/client/react';
import { type CSSVariablesResolver, MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { client } from './apollo';
import { App } from './App';

// Darker primary shades than Mantine's default blue: white text on filled buttons keeps a 4.5:1 contrast. Dialogs
// and menus appear without their fade for people whose system asks for reduced motion.
const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8, respectReducedMotion: true });
// Text colours that keep a 4.5:1 contrast on white (Mantine's defaults for dimmed and error text are lighter).
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#495057',
    '--mantine-color-error': '#b02a2a',
    '--mantine-color-placeholder': '#5c636a',
    // Text of "light" variants (alerts, light buttons) on their tinted background.
    '--mantine-color-green-light-color': '#1b5e20',
    '--mantine-color-red-light-color': '#a51d1d',
    '--mantine-color-yellow-light-color': '#5c4200',
    '--mantine-color-orange-light-color': '#7a3e00',
    '--mantine-color-blue-light-color': '#0b4a8b',
    '--mantine-color-indigo-light-color': '#2b3a9e',
    '--mantine-color-gray-light-color': '#343a40',
  },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <ApolloProvider client={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ApolloProvider>
    </MantineProvider>
  </StrictMode>,
);
